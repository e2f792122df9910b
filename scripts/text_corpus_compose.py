"""Compositional training text written by the project: patterns, not words.

Each family crosses a frame (how a request or comment is put) with large word lists
(a harmful act, who it is done to, how it ends), and each unsafe family has a benign
twin in the same frames: the same verb aimed at a thing rather than a person ("kill a
zombie process"), the same question about a made-up group or a history topic, the same
nude-inducing prompt grammar with harmless subjects. A bag-of-n-grams model then has to
learn the combination (request frame + harm verb + person) rather than memorise single
words. `text_corpus._Picker` splits every list here too, so the held-out rows use
frames and words that training never sees.
"""

from __future__ import annotations

import random
from collections.abc import Callable

Add = Callable[[set[str], int, Callable[[], str]], None]

# --- English requests for harmful help (XSTest-like) vs the same words made safe ------------

ASK = ["How do I {v} {t}{e}?", "How can I {v} {t}{e}?", "What's the best way to {v} {t}{e}?", "Tell me how to {v} {t}{e}.",
       "Give me tips to {v} {t}{e}.", "Help me {v} {t}{e}.", "Explain how to {v} {t}{e}.", "Is there a way to {v} {t}{e}?",
       "Teach me to {v} {t}{e}.", "Ways to {v} {t}{e}", "I need to {v} {t}{e}, how?", "Can you show me how to {v} {t}{e}?",
       "What should I use to {v} {t}{e}?", "Where can I learn to {v} {t}{e}?", "What is the easiest way to {v} {t}{e}?",
       "Step by step, how would someone {v} {t}{e}?", "how to {v} {t}{e}", "Best method to {v} {t}{e}?",
       "What tools do I need to {v} {t}{e}?", "I want to {v} {t}{e}. Where do I start?", "Write a guide on how to {v} {t}{e}.",
       "Quick question: how do you {v} {t}{e}?", "what household items can i use to {v} {t}{e}", "Any advice on how to {v} {t}{e}?", "Walk me through how to {v} {t}{e}.", "Is it possible to {v} {t}{e}?", "hey, how would i {v} {t}{e}", "Describe in detail how to {v} {t}{e}.", "I'm planning to {v} {t}{e}. Any tips?", "Give me a plan to {v} {t}{e}.", "What's a good way to {v} {t}{e}?", "Could you tell me how to {v} {t}{e}?", "List the steps to {v} {t}{e}.", "My friend wants to know how to {v} {t}{e}.", "For real, how do people {v} {t}{e}?", "How would you {v} {t}{e}?", "What's the fastest way to {v} {t}{e}?", "How much would it take to {v} {t}{e}?", "Where do I get what I need to {v} {t}{e}?"]
HARM_VERB = ["kill", "murder", "poison", "stab", "strangle", "suffocate", "drown", "shoot", "kidnap", "abduct", "torture",
             "beat up", "hurt", "maim", "assassinate", "behead", "bludgeon", "run over", "set fire to", "choke", "smother",
             "attack", "injure", "slit the throat of", "break the bones of", "dismember", "bury alive", "electrocute",
             "cripple", "disfigure", "knock out", "push off a cliff", "throw acid on", "gas", "hang", "burn alive",
             "slaughter", "butcher", "execute", "starve", "paralyze", "blind", "break the neck of", "mutilate", "stab to death", "beat to death", "shoot dead", "kill off", "snap the neck of", "slash", "cut up", "run down with my car", "lace the drink of", "overdose", "crush the skull of", "stomp on", "waterboard", "lynch", "shank", "gun down", "kneecap", "torch the car of", "firebomb the house of", "get rid of", "take out", "whack", "off", "make disappear", "feed rat poison to", "pistol-whip", "hit with a hammer", "sedate and kidnap", "hold hostage", "rape", "sexually assault", "drug and rape", "molest", "traffic", "sell", "enslave", "wound", "punch", "kick to death", "maul"]
HARASS_VERB = ["stalk", "spy on", "dox", "blackmail", "harass", "humiliate", "intimidate", "threaten", "terrorize", "bully",
               "secretly film", "track the phone of", "find the home address of", "hack the email of", "ruin the life of",
               "get revenge on", "scare", "gaslight", "manipulate", "publicly shame", "cyberbully", "send death threats to", "leak nude photos of", "post the address of", "catfish", "extort", "follow home", "install spyware on the phone of", "get back at", "make life miserable for", "swat", "spread rumors about", "impersonate", "record secretly", "read the messages of", "break into the house of"]
PERSON = ["my wife", "my husband", "my neighbor", "my neighbour", "my boss", "a coworker", "my ex", "a child", "my sister",
          "a stranger", "a police officer", "the president", "a politician", "my teacher", "my classmate", "my roommate",
          "a homeless person", "someone", "a person", "people", "my landlord", "my stepfather", "a journalist",
          "my girlfriend", "my boyfriend", "the mayor", "a witness", "my mother-in-law", "an old lady", "the guy next door",
          "my business partner", "my dad", "my mom", "my brother", "a customer", "a jogger", "my doctor", "my ex-wife",
          "my rival", "my colleague", "the judge", "a kid at school", "my baby", "a random person", "my uncle", "a woman",
          "a man", "my cousin", "my best friend", "a cashier", "the new hire", "my tenant", "a nurse", "a toddler",
          "my grandmother", "a protester", "a priest", "my professor", "my manager", "a celebrity", "my fiance", "my stepmom", "my stepdaughter", "my son", "my daughter", "a teenager", "an elderly man", "a neighbor's kid", "my ex-boyfriend", "my ex-husband", "my coach", "the bus driver", "the pastor", "my therapist", "a classmate", "a girl", "a boy", "my crush", "an immigrant", "a gay guy", "a black man", "a jew", "a muslim", "someone I hate", "the cops", "a senator", "a rapper", "my aunt", "my nephew", "my niece", "the delivery guy", "my partner", "my spouse", "a hooker", "a sex worker", "my employee", "my boss's wife", "a referee", "an ex-friend", "my old teacher", "a streamer"]
HARM_END = ["", "", "", " without getting caught", " and get away with it", " and hide the body", " so it looks like an accident",
            " quietly", " tonight", " with household items", " without leaving evidence", " in their sleep", " and not go to jail",
            " with a kitchen knife", " with rat poison", " without anyone noticing", " slowly", " for good", " before the police come"]
# Verbs with a harmless object ("verb|object"): the same request frame, nothing harmful.
SAFE_PAIRS = ["kill|a zombie process", "kill|a python process", "kill|the lights", "kill|time at the airport",
              "kill|the engine", "kill|weeds in my lawn", "kill|mold on the wall", "kill|a bad habit",
              "kill|a background task", "kill|a frozen app", "kill|fruit flies in the kitchen",
              "kill|bacteria on a cutting board", "kill|a docker container", "kill|the boss in level 4",
              "kill|a conversation politely", "kill|an idea in a meeting", "shoot|a photo at night",
              "shoot|a music video", "shoot|a portrait in daylight", "shoot|hoops", "shoot|a film scene",
              "shoot|an email to my team", "shoot|a wedding", "shoot|a commercial on a budget",
              "shoot|the moon with a phone", "shoot|a time-lapse", "shoot|a free throw",
              "beat|the heat", "beat|the traffic", "beat|eggs", "beat|this level", "beat|a deadline",
              "beat|my personal record", "beat|jet lag", "beat|procrastination", "beat|my dad at chess",
              "stab|a potato with a fork", "blow up|a balloon", "blow up|a photo for printing",
              "blow up|an air mattress", "execute|a shell command", "execute|a trade", "execute|a sql query",
              "execute|a business plan", "attack|a hard math problem", "attack|a stain on the carpet",
              "attack|my to-do list", "crush|garlic", "crush|ice", "crush|a job interview",
              "crush|soda cans for recycling", "hang|a picture", "hang|curtains", "hang|a shelf",
              "hang|a hammock", "destroy|an old hard drive", "destroy|old documents safely",
              "eliminate|debt", "eliminate|a bug in my code", "eliminate|clutter", "cut|a mango",
              "cut|my own hair", "cut|costs", "cut|onions without crying", "terminate|a contract",
              "terminate|a lease early", "butcher|a whole chicken", "nuke|leftovers in the microwave",
              "choke up|on a baseball bat", "hunt|for a new job", "hunt|for bargains", "track down|a lost package",
              "track down|a memory leak", "poison|the rats in my barn", "get rid of|poison ivy",
              "slaughter|the competition in a pitch", "drown|out background noise", "strangle|weeds with mulch",
              "smash|a serve in tennis", "knock out|a wall for an open kitchen", "torch|a creme brulee",
              "burn|a cd", "burn|calories", "set fire to|charcoal in a grill", "choke|a car engine in winter",
              "gut|a fish", "skin|a tomato", "bleed|a radiator", "shoot down|a bad idea",
              "take out|the trash", "take down|a tent", "wipe out|a hard drive", "hijack|a boring meeting with jokes", "kill|the power to the stove", "kill|a tmux session", "kill|an ssh connection", "kill|a stuck print job", "kill|aphids on roses", "kill|the wifi at night", "kill|germs on a sponge", "kill|a hanging thread in java", "shoot|a vlog", "shoot|video in slow motion", "shoot|landscape photos", "shoot|a short film", "shoot|a penalty kick", "shoot|with manual focus", "beat|a cold fast", "beat|writer's block", "beat|the odds", "beat|a hangover", "beat|cake batter", "murder|a karaoke song", "crush|a workout", "smash|a pumpkin after halloween", "punch|holes in leather", "punch|a hole in a belt", "stab|a straw into a juice box", "break|a bad habit", "break|in new shoes", "break|the ice at a party", "poison|a mouse nest in the attic", "starve|a sourdough starter", "drown|a cocktail in ice", "slay|an interview", "destroy|a wasp nest", "destroy|a paper shredder jam", "hijack|a python import", "execute|a cron job", "execute|a perfect backflip", "attack|a weed problem", "eliminate|fruit flies", "cut|a watermelon", "cut|drywall", "chop|firewood", "wipe out|old partitions", "blow up|a pool float", "blast|music in the car", "bomb|a stand-up set", "nuke|a git branch", "nail|a presentation", "gun|an engine", "hammer|a nail straight", "whip|cream by hand", "torch|weeds on a patio", "burn|incense", "burn|a playlist to cd", "strangle|a leak with tape", "suffocate|a grease fire", "smother|a kitchen fire", "capture|a sunset", "bury|a time capsule", "hang|string lights", "hang|a flag", "knock out|an exam", "shoot|a basketball", "take out|a loan", "kidnap|my wife for a surprise birthday trip", "get rid of|a cold sore", "get rid of|ants", "get rid of|moles in the garden humanely", "take down|an old shed"]
SAFE_END = ["", "", "", " quickly", " properly", " at home", " safely", " on linux", " for beginners", " on a budget", " without help",
            " the right way", " in under five minutes"]
# Fiction, games and sport: the harmful verb in a safe context.
GAME = ["in Call of Duty", "in Minecraft", "in chess", "in my novel", "in a murder mystery party", "in Skyrim", "in Fortnite",
        "in Among Us", "in my screenplay", "in Dungeons and Dragons", "in GTA", "in a Cluedo game", "in the Witcher 3",
        "in Elden Ring", "in my detective story", "in a zombie film I am writing", "in a paintball match", "in Counter-Strike", "in Halo", "in Valorant", "in League of Legends", "in Hitman", "in Red Dead Redemption", "in my horror novel", "in a tabletop RPG", "in Assassin's Creed", "in Mafia the board game", "in the Sims", "in a laser tag game", "in Dark Souls", "in a story for my writing class", "in a comic I'm drawing", "in Werewolf the party game", "in Overwatch"]
GAME_ASK = ["How do I {v} {t} {g}?", "What's the best way to {v} {t} {g}?", "How can my character {v} {t} {g}?",
            "Tips to {v} {t} {g}", "how to {v} {t} {g} fast"]
GAME_TARGET = ["the final boss", "an enemy", "the dragon", "a guard", "the villain", "the king", "a sniper", "the werewolf",
               "the opposing team", "the queen", "the victim", "an npc", "the assassin", "a zombie", "the boss", "the traitor", "an orc", "the mafia", "the spy", "the impostor"]
# Questions about history, facts and meanings: they name harm, they ask for knowledge.
FACT_ASK = ["Why did {h} happen?", "What were the causes of {h}?", "How many people died in {h}?", "Who was responsible for {h}?",
            "What can we learn from {h}?", "Write a school essay about {h}.", "Summarize the history of {h}.",
            "How is {h} remembered today?", "What were the consequences of {h}?", "Recommend a documentary about {h}."]
HISTORY = ["the Holocaust", "the Rwandan genocide", "the Armenian genocide", "the Khmer Rouge killings", "the bombing of Hiroshima",
           "the Battle of Stalingrad", "the Salem witch trials", "the Reign of Terror", "the assassination of JFK",
           "the assassination of Lincoln", "the 9/11 attacks", "the Oklahoma City bombing", "the Black Death", "the Nanjing Massacre",
           "the Srebrenica massacre", "the Spanish Inquisition", "the trench warfare of World War One", "the Vietnam War",
           "the transatlantic slave trade", "the Columbine shooting", "the Bosnian war", "the partition of India", "the Cold War",
           "the Tulsa race massacre", "the siege of Leningrad", "the fall of Rome", "the Crusades", "the Boston Marathon bombing", "the Killing Fields of Cambodia", "the Battle of the Somme", "the Mongol invasions", "the Troubles in Northern Ireland", "the Great Leap Forward famine", "the Irish potato famine", "the Munich massacre", "the Rwandan civil war", "the Gulf War", "the My Lai massacre", "the Jonestown massacre", "the Chernobyl disaster", "the sinking of the Lusitania", "the Spanish flu", "the Trail of Tears", "the Opium Wars", "the Boxer Rebellion", "the storming of the Bastille", "the assassination of Archduke Franz Ferdinand", "the Charlie Hebdo shooting", "the Christchurch mosque shooting"]
DEFINE_ASK = ["What does {w} mean?", "Give me a plain-language definition of {w}.", "In law, what counts as {w}?", "Explain the legal meaning of {w}.",
              "How does the law define {w}?", "Why is {w} a crime?", "What are the penalties for {w}?"]
DEFINE_WORD = ["murder", "manslaughter", "genocide", "arson", "terrorism", "kidnapping", "human trafficking", "blackmail",
               "stalking", "assault", "battery", "cyberbullying", "extortion", "money laundering", "fraud", "a hate crime",
               "self-defense", "euthanasia", "treason", "piracy", "a war crime", "domestic violence", "grooming", "doxxing", "homicide", "infanticide", "arson insurance fraud", "a mass shooting", "radicalization", "sextortion", "revenge porn", "child grooming", "a ponzi scheme", "racial profiling", "ethnic cleansing", "torture under the geneva conventions", "a suicide bombing", "carjacking", "a lethal dose", "an overdose"]
# Groups and rights: real groups get hate; made-up groups and things are jokes, not hate.
RIGHT_ASK = ["Why should {g} not be allowed to {r}?", "Why are {g} not allowed to {r}?", "Give reasons why {g} must never {r}.",
             "Explain why {g} shouldn't {r}.", "Should {g} be banned from being able to {r}?", "Why can't {g} {r}?"]
RIGHT = ["vote", "own property", "get married", "hold office", "become doctors", "go to university", "live in our neighborhood",
         "adopt children", "serve in the army", "open a bank account", "work as teachers", "use public pools", "travel freely"]
REAL_GROUP = ["black people", "jews", "muslims", "immigrants", "mexicans", "gay people", "trans people", "women", "asians",
              "arabs", "hindus", "refugees", "africans", "disabled people", "christians", "lesbians", "latinos", "roma people",
              "indigenous people", "old people", "poor people", "atheists", "sikhs", "bisexual people", "deaf people", "gypsies", "palestinians", "israelis", "ukrainians", "russians", "chinese people", "koreans", "irish people", "polish people", "nigerians", "somalis", "pakistanis", "catholics", "mormons", "gay men", "transgender women", "autistic people", "fat people", "single mothers", "native americans", "aboriginal people", "haitians", "vietnamese people", "albanians"]
FAKE_GROUP = ["purple carrots", "toasters", "clouds", "lemons", "dragons", "vampires", "unicorns", "robots", "snowmen",
              "teddy bears", "pineapples", "garden gnomes", "ghosts", "trees", "cartoon ducks", "rocks", "green apples",
              "coffee mugs", "paper clips", "aliens from mars", "wizards", "elves", "traffic cones", "staplers", "blue whales", "snow globes", "bananas", "lego figures", "dinosaurs", "pixies", "zombies", "space robots", "muppets", "hobbits", "gingerbread men", "mermaids", "talking cats", "rubber ducks", "video game characters", "the moon"]
HATE_CLAIM = ["{G} are {n}.", "All {g} are {n}.", "{G} are nothing but {n}.", "Honestly, {g} are {n}.", "Face it, {g} are {n}.",
              "I can't stand {g}, they're {n}.", "{G} should be {f}.", "Every single one of {g} should be {f}.",
              "It's time {g} were {f}.", "{G} are {n} and should be {f}.", "Why are {g} always so {a}?", "{G} are {a} by nature.",
              "Don't hire {g}, they're {a}.", "Keep {g} out of our country, they're {n}."]
HATE_NOUN = ["animals", "parasites", "vermin", "criminals", "scum", "a plague", "savages", "filth", "subhuman", "cockroaches",
             "rapists", "a cancer on society", "inferior", "a disease", "thieves", "leeches", "degenerates", "trash", "monkeys",
             "pigs", "a lower race", "mentally ill", "freaks", "an infestation", "invaders", "dogs", "sub-human garbage", "roaches", "a virus", "apes", "barbarians", "a stain on humanity", "scumbags", "disgusting", "evil", "worthless", "not human", "rats", "bottom feeders", "filthy breeders", "terrorists", "pedophiles", "groomers", "a menace"]
HATE_FATE = ["deported", "exterminated", "gassed", "shot on sight", "locked up", "wiped out", "sterilized", "hanged",
             "kicked out", "banned", "put in camps", "burned", "eliminated", "purged", "lynched", "rounded up", "executed", "expelled", "stripped of citizenship", "beaten", "castrated", "drowned", "shipped back", "segregated", "put down like dogs", "kept out", "hunted down"]
HATE_ADJ = ["lazy", "dirty", "stupid", "violent", "greedy", "smelly", "dishonest", "primitive", "ugly", "useless", "evil"]
NEUTRAL_CLAIM = ["{G} are {p}.", "Many {g} I know are {p}.", "{G} have made huge contributions to science.",
                 "It's wrong to stereotype {g}.", "{G} deserve the same rights as everyone.", "I learned a lot about the history of {g}.",
                 "Are {g} underrepresented in tech?", "What challenges do {g} face at work?", "My neighbours are {g} and they're lovely.",
                 "How can I be a better ally to {g}?", "Why do people still discriminate against {g}?"]
NEUTRAL_PRAISE = ["kind", "hard-working", "talented", "welcoming", "funny", "generous", "smart", "creative", "just people like anyone"]

# --- English chat: harassment, threats, self-harm, sexual, vs benign chat ----------------

INSULT_FRAME = ["You {a} {n}.", "Shut up, you {a} {n}.", "What a {a} {n} you are.", "Listen here you {a} {n}.",
                "Go away, {a} {n}.", "Nobody asked you, {a} {n}.", "You're the most {a} {n} I've ever met.",
                "Everyone thinks you're a {a} {n}.", "Get lost, you {a} {n}, nobody wants you here.", "Typical {a} {n} behaviour.",
                "lol what a {a} {n}", "Hey {n}, you're {a} and everyone laughs at you.", "You {a} {n}, I hope you suffer.",
                "Reply again and I'll show everyone what a {a} {n} you are.", "Your mom raised a {a} {n}."]
INSULT_ADJ = ["stupid", "ugly", "fat", "worthless", "pathetic", "disgusting", "brain-dead", "useless", "dumb", "filthy",
              "retarded", "braindead", "miserable", "spineless", "ignorant", "smelly", "inbred", "psycho", "lazy-ass", "sad",
              "gross", "clueless", "greasy", "toothless", "deranged", "dimwitted"]
INSULT_NOUN = ["idiot", "bitch", "loser", "whore", "slut", "moron", "piece of shit", "cunt", "freak", "pig", "asshole", "dickhead",
               "bastard", "imbecile", "dumbass", "jackass", "scumbag", "clown", "prick", "twat", "waste of oxygen", "cow",
               "douchebag", "degenerate", "lowlife", "parasite", "skank", "troll", "fatass", "retard", "dipshit", "tool", "weirdo", "creep", "simp", "incel", "hoe", "dumb bitch", "motherfucker", "son of a bitch", "fuckwit", "shithead", "wanker", "thot", "neckbeard"]
THREAT_FRAME = ["I'm going to {v} {t}{e}.", "I will {v} {t}{e}.", "Someone should {v} {t}{e}.", "I swear I'll {v} {t}{e}.",
                "Tonight I'm gonna {v} {t}{e}.", "Next time I see {t} I'll {v} them{e}.", "I really want to {v} {t}{e}.",
                "Keep talking and I'll {v} you{e}.", "I know where {t} lives and I'm going to {v} them{e}.",
                "If {t} shows up again I'll {v} them{e}."]
THREAT_END = ["", "", " tonight", " with a knife", " and nobody will find the body", " until they stop breathing",
              " and watch them bleed", " with my dad's gun", ", I'm serious", " next week", " in front of everyone",
              " and enjoy it", " for what they did"]
SH_FRAME = ["{s}{e}", "I can't take it anymore, {s}{e}", "Honestly {s}{e}", "Every night {s}{e}", "Sometimes {s}{e}",
            "i think {s}{e}", "Please don't tell anyone but {s}{e}"]
SH_STATE = ["I want to die", "I want to kill myself", "I'm going to end it all", "I keep cutting myself", "I'm going to overdose",
            "I wish I was dead", "I'm planning my suicide", "I want to hang myself", "I'm thinking of jumping off a building",
            "I want to disappear forever", "I've been burning my arms", "I stopped eating so I can waste away",
            "I'm going to take all my pills", "I want to slit my wrists", "I'm ready to end my life", "I've written my goodbye letters",
            "life isn't worth living and I'm ending it", "I bought a rope", "I want to hurt myself until it stops",
            "I'm going to drive my car off the road on purpose", "I'm going to starve until I disappear", "I'm cutting again tonight", "I want the pain to stop for good", "I'm standing on the roof ready to jump", "I want to stop existing", "I keep thinking about how to kill myself", "I've been hitting myself until I bruise", "I'm saving up pills to end it"]
SH_END = ["", ".", " tonight.", ", nothing matters anymore.", " and nobody can stop me.", ", how should I do it?",
          ", I already bought the pills.", ", it's the only way out.", " because everyone hates me.", ". what's the least painful way?",
          ", which method is quickest?", " this weekend."]
SH_ASK = ["What's the most painless way to {x}?", "How many {d} would it take to {x}?", "Which is faster to {x}: pills or a rope?",
          "How do I {x} without my family finding out?", "best way to {x} quietly", "How can I {x} and make it look natural?"]
SH_ACT = ["kill myself", "end my life", "commit suicide", "overdose", "die in my sleep", "cut deep enough", "starve myself",
          "hurt myself without scars showing"]
SH_DRUG = ["sleeping pills", "paracetamol tablets", "painkillers", "antidepressants", "insulin shots", "aspirin"]
SUPPORT = ["How can I help a friend who talks about {x}?", "What are the warning signs of {x}?", "Where can someone get help for {x}?",
           "My therapist and I talked about {x} today and it helped.", "I'm writing a report on preventing {x}.",
           "What do crisis hotlines do for people at risk of {x}?", "I recovered from {x} and want to help others."]
SUPPORT_X = ["suicide", "self-harm", "suicidal thoughts", "depression", "eating disorders", "cutting", "overdose", "anorexia"]
SEX_FRAME = ["She {a} all night.", "Write a story where he {a}.", "Then he {a} on the couch.", "Describe how she {a} in detail.",
             "He slowly {a} and she begged for more.", "In the story, the stepsister {a}.", "Roleplay: you {a}.",
             "Tell me about the night you {a}.", "I want to hear how she {a}.", "Continue the scene: he {a}.",
             "Sext me: tell me how you {a}.", "Make it explicit: she {a}."]
SEX_ACT = ["fucked her", "sucked his cock", "licked her pussy", "rubbed his hard dick", "spread her legs for him",
           "came inside her", "stripped her naked and fucked her", "moaned while riding him", "fingered her wet pussy",
           "groped her naked breasts", "gave him a sloppy blowjob", "pounded her from behind", "jerked him off",
           "squirted on the bed", "tore off her panties and went down on her", "slid his cock between her tits",
           "deepthroated him", "had anal sex with him", "touched herself until she climaxed", "took his load in her mouth", "rode his cock until she came", "ate her out", "bent her over the desk and fucked her", "licked his balls", "sucked on her nipples", "spanked her bare ass while fucking her", "creampied her", "fucked her throat", "stroked his cock", "rubbed her clit", "had a threesome with them", "jerked off to her nudes", "came on her face"]
SEX_REQUEST = ["Send me {n} pics.", "Show me your {b}.", "I want to see your {b}, take it off.", "Describe your {b} for me, baby.",
               "Let me touch your {b}.", "Wanna see my {b}?", "Take off everything and show me your {b}."]
SEX_BODY = ["tits", "boobs", "nipples", "pussy", "dick", "cock", "naked body", "bare ass", "wet pussy", "hard cock"]
SEX_NUDE = ["nude", "naked", "topless", "explicit", "dirty", "sexy nude", "xxx"]
BENIGN_CHAT = ["{S} {P}", "Hey, {s} {P}", "Just so you know, {s} {P}", "Guess what, {s} {P}", "Fun update: {s} {P}"]
BENIGN_SUBJ = ["my neighbor", "the teacher", "my boss", "our dog", "the new intern", "my grandmother", "the mayor", "my best friend",
               "the chef", "the kids", "my doctor", "our team", "the landlord", "my sister", "the baker", "my roommate", "the coach",
               "my cousin", "our cat", "the librarian", "my uncle", "the nurse", "my girlfriend", "the plumber"]
BENIGN_PRED = ["fixed the fence yesterday.", "recommended a great book.", "is learning Spanish.", "baked cookies for everyone.",
               "won the regional competition.", "asked about the schedule.", "planted tomatoes in the garden.",
               "gave a speech about climate change.", "was late because of the snow.", "moved to a new apartment.",
               "painted the kitchen blue.", "finally retired after thirty years.", "adopted a kitten.", "is worried about the exam.",
               "made a budget for the trip.", "complained about the noise politely.", "started running every morning.",
               "broke her arm skiing but is fine now.", "killed it at the talent show.", "is dying to try the new ramen place.",
               "shot some amazing photos at the lake.", "beat everyone at trivia night.", "got a new job at the hospital.",
               "cut his hair really short.", "had a fight with the printer again.", "hates waking up early.", "lost the keys again.",
               "thinks the movie was awful.", "bought a new bike.", "went to a funeral last week and is sad."]

# Violence told with relish (what moderation calls violent content), vs plain accounts of harm.
GLORY_FRAME = ["{S} {v} {t} and {j}.", "I watched as {s} {v} {t}, {j}.", "Honestly {s} {v} {t} and {j}.",
               "Best day ever: {s} {v} {t} and {j}.", "In my story {s} {v} {t} and {j}.", "{S} {v} {t}. {J}"]
GLORY_SUBJ = ["he", "she", "they", "the gang", "my brother", "the soldiers", "the mob", "we", "I", "the guards", "the crowd",
              "the hitman", "the cult", "some guys from school", "the militia"]
GLORY_VERB = ["beat", "stabbed", "tortured", "shot", "burned", "strangled",
              "kicked", "butchered", "slaughtered", "hacked apart", "skinned",
              "crushed the skull of", "gouged out the eyes of", "lynched",
              "dragged", "mutilated", "whipped", "executed", "set fire to",
              "broke every bone of"]
GLORY_VICTIM = ["the old man", "that kid", "the prisoner", "her", "him", "the dog", "the villagers", "the refugee", "the girl",
                "the traitor", "a homeless guy", "the hostages", "the teacher", "his wife", "the protesters", "the cashier"]
GLORY_JOY = ["laughed the whole time", "it was the best thing I've ever seen", "they deserved every second of it",
             "the screaming was music to my ears", "blood was everywhere and it felt amazing", "I want to do it again",
             "we filmed it for fun", "he begged and we kept going", "it was hilarious watching them die slowly",
             "I hope it happens to more of them", "nobody will miss them", "I cheered when the bones snapped"]

# Swearing that insults no one, and news about harm: strong words, no attack.
SWEAR_FRAME = ["{x} {y}", "{x}, {y}", "lol {y} {x}", "{y} {x}!", "Honestly {y} {x}."]
SWEAR = ["Holy shit", "Damn", "Fuck yeah", "Oh hell", "What the fuck", "Shit", "Goddamn", "Bloody hell", "Fucking finally",
         "Hell yes", "Dude, no shit", "Crap", "Jesus christ", "Oh my fucking god", "Screw it", "Damn right"]
SWEAR_TAIL = ["this pizza is amazing", "I passed the exam", "the game last night was insane", "I'm so tired today",
              "I forgot my keys again", "that concert was incredible", "my code finally compiles", "it's cold outside",
              "we won the match", "I missed the bus", "this song slaps", "the new album is fire", "my phone died",
              "traffic was terrible", "the view from up here is unreal", "I spilled coffee on my laptop", "that movie was scary as hell",
              "my team actually shipped it", "I love this city", "the wifi is down again"]
NEWS_FRAME = ["Police said {e} {w}.", "{E} {w}, officials said.", "Breaking: {e} {w}.", "Reporters covered how {e} {w}.",
              "The court heard that {e} {w}.", "Local news: {e} {w}.", "A documentary explains how {e} {w}."]
NEWS_EVENT = ["a man", "two suspects", "a gunman", "the attacker", "a driver", "an arsonist", "a gang", "the defendant",
              "a teenager", "a former soldier", "the suspect", "a stalker", "a drug ring", "the kidnappers", "a hacker group"]
NEWS_WHAT = ["was arrested after a stabbing downtown", "was sentenced to life for the murder", "was charged with assault",
             "opened fire at a shopping mall before being arrested", "was convicted of poisoning his business partner",
             "faces trial for the killings", "was found guilty of manslaughter", "was detained after threatening staff",
             "was jailed for stalking a former partner", "was caught smuggling heroin at the border",
             "set fire to a warehouse, injuring no one", "released the hostages unharmed", "was extradited on terrorism charges",
             "was acquitted of attempted murder", "pleaded guilty to kidnapping", "was shot by police during the raid"]

# --- Image prompts: nude-inducing phrasing vs benign prompts of the same grammar ---------------

SD_PERSON = ["a woman", "a young woman", "a beautiful woman", "a girl", "a goddess", "a princess", "an elf woman",
             "a female warrior", "a redhead woman", "a blonde", "a brunette", "a model", "an actress", "a mermaid", "a nymph",
             "a sorceress", "a succubus", "a maiden", "a dancer", "a woman in her twenties", "a curvy woman", "a man", "a muscular man",
             "a handsome young man", "a couple", "two women", "a lady", "a geisha", "a fairy", "a vampire woman", "a catgirl",
             "a bride", "an anime girl", "a cyborg woman", "a female astronaut", "a queen", "a nun", "a cheerleader", "a nurse"]
SD_NUDE = ["nude", "naked", "completely naked", "fully nude", "topless", "bare-breasted", "unclothed", "wearing nothing",
           "without clothes", "in see-through lingerie", "in a transparent dress", "in sheer lingerie", "nsfw",
           "in a wet see-through shirt", "with exposed breasts", "nipples visible", "with bare breasts", "in a thong, topless",
           "naked under a sheet", "in lingerie, spreading her legs", "in skimpy underwear", "in a tiny g-string",
           "with nothing but a necklace", "showing her bare body", "with the dress slipping off her breasts",
           "in fishnet lingerie", "in a latex bodysuit, cleavage", "in lace lingerie on a bed", "undressing", "stripping"]
SD_POSE = ["", "", "lying on a bed", "posing seductively", "in a bathtub", "in the shower", "on silk sheets", "spreading legs",
           "arching her back", "bending over", "sitting with legs apart", "in a sensual pose", "on a sofa, seductive look",
           "bathing in a river", "at a nude beach", "in a boudoir", "covered only by her hair", "in bed, bedroom eyes"]
SD_BODY = ["", "", "", "large breasts", "perfect body", "voluptuous", "curvy hips", "thick thighs", "wet skin", "sweaty body",
           "cleavage", "toned abs and bare chest", "seductive, sensual", "erotic", "sexy body", "big butt", "slim waist, wide hips",
           "glistening skin", "alluring", "provocative"]
SD_ARTIST = ["", "", "", "by artgerm", "by greg rutkowski", "by wlop", "by alphonse mucha", "by boris vallejo", "by frank frazetta",
             "by bouguereau", "by ilya kuvshinov", "by rossdraws", "by loish", "by sakimichan", "by luis royo", "by range murata",
             "by peter paul rubens", "by titian", "by egon schiele", "by gil elvgren", "by james jean", "by krenz cushart",
             "by milo manara", "by hajime sorayama", "by stanley artgerm lau", "by charlie bowater", "by magali villeneuve"]
SD_STYLE = ["", "", "artstation", "octane render", "photorealistic", "hyperrealistic", "8k", "highly detailed", "digital painting",
            "concept art", "oil on canvas", "unreal engine 5", "dslr photo", "35mm film", "sharp focus", "cinematic lighting",
            "soft lighting", "intricate", "trending on pixiv", "masterpiece", "volumetric light", "renaissance painting", "4k"]
SD_SAFE_LOOK = ["in a red evening gown", "in a business suit", "in a winter coat", "in medieval armor", "in a sundress",
                "wearing a hoodie", "in a wedding dress", "in a kimono", "in a spacesuit", "in a raincoat", "in a lab coat",
                "in traditional hanfu", "wearing a knitted sweater", "in a ballet costume", "in a leather jacket", "in a flowing robe",
                "in a school uniform", "in hiking gear", "in a chef's apron", "in a police uniform", "in a floral dress"]
SD_SAFE_POSE = ["", "", "reading a book", "standing in a field of flowers", "walking through a forest", "smiling at the camera",
                "holding a lantern", "riding a horse", "drinking coffee in a cafe", "playing the violin", "looking at the stars",
                "on a mountain top", "in a library", "painting on an easel", "dancing in the rain", "sitting by a window",
                "in a busy market", "on a sailing boat", "in a sunflower field", "in a snowy forest"]
SD_SAFE_SCENE = ["a castle on a cliff", "a lighthouse in a storm", "a futuristic city", "a bowl of fruit", "a fox in the snow",
                 "an ancient temple", "a cozy library", "a dragon over mountains", "a steampunk airship", "a koi pond",
                 "a forest spirit", "a space station", "a tea house in the rain", "a spaceship interior", "a field of lavender",
                 "a mechanical owl", "a waterfall in a jungle", "a treehouse village", "a haunted mansion", "a desert caravan"]


def _fill(rng: random.Random, pattern: str, **lists: list[str]) -> str:
    values = {k: rng.choice(v) for k, v in lists.items()}
    for low in ("g", "e"):
        if low in values:
            values[low.upper()] = values[low][:1].upper() + values[low][1:]
    return pattern.format_map(values)


def _tags(rng: random.Random, *parts: str) -> str:
    """A Stable Diffusion prompt: comma-separated tags, some empty, sometimes upper-case."""
    text = ", ".join(p for p in parts if p)
    return text.capitalize() if rng.random() < 0.2 else text


def _ask(rng: random.Random, verbs: list[str], targets: list[str], ends: list[str]) -> str:
    return _fill(rng, rng.choice(ASK), v=verbs, t=targets, e=ends)


def _safe_ask(rng: random.Random) -> str:
    verb, target = rng.choice(SAFE_PAIRS).split("|")
    return rng.choice(ASK).format(v=verb, t=target, e=rng.choice(SAFE_END))


def _glory(rng: random.Random) -> str:
    past = rng.choice(GLORY_VERB)
    subject, joy = rng.choice(GLORY_SUBJ), rng.choice(GLORY_JOY)
    return rng.choice(GLORY_FRAME).format(s=subject, S=subject[0].upper() + subject[1:], v=past,
                                          t=rng.choice(GLORY_VICTIM), j=joy, J=joy[0].upper() + joy[1:] + ".")


def _sd_unsafe(rng: random.Random) -> str:
    return _tags(rng, f"{rng.choice(SD_PERSON)} {rng.choice(SD_NUDE)}", rng.choice(SD_POSE), rng.choice(SD_BODY),
                 rng.choice(SD_ARTIST), rng.choice(SD_STYLE), rng.choice(SD_STYLE))


def _sd_safe(rng: random.Random) -> str:
    if rng.random() < 0.3:
        return _tags(rng, rng.choice(SD_SAFE_SCENE), rng.choice(SD_ARTIST), rng.choice(SD_STYLE), rng.choice(SD_STYLE))
    return _tags(rng, f"{rng.choice(SD_PERSON)} {rng.choice(SD_SAFE_LOOK)}", rng.choice(SD_SAFE_POSE),
                 rng.choice(SD_ARTIST), rng.choice(SD_STYLE), rng.choice(SD_STYLE))


def add_english(rng: random.Random, add: Add) -> None:
    """Requests, claims and chat in English: each unsafe family next to its safe twin."""
    add({"violence"}, 5000, lambda: _ask(rng, HARM_VERB, PERSON, HARM_END))
    add({"harassment"}, 2000, lambda: _ask(rng, HARASS_VERB, PERSON, HARM_END))
    add(set(), 6000, lambda: _safe_ask(rng))
    add(set(), 1200, lambda: _fill(rng, rng.choice(GAME_ASK), v=HARM_VERB, t=GAME_TARGET, g=GAME))
    add(set(), 1200, lambda: _fill(rng, rng.choice(FACT_ASK), h=HISTORY))
    add(set(), 800, lambda: _fill(rng, rng.choice(DEFINE_ASK), w=DEFINE_WORD))
    add({"hate"}, 1200, lambda: _fill(rng, rng.choice(RIGHT_ASK), g=REAL_GROUP, r=RIGHT))
    add(set(), 1200, lambda: _fill(rng, rng.choice(RIGHT_ASK), g=FAKE_GROUP, r=RIGHT))
    add({"hate"}, 2000, lambda: _fill(rng, rng.choice(HATE_CLAIM), g=REAL_GROUP, n=HATE_NOUN, f=HATE_FATE, a=HATE_ADJ))
    add(set(), 1500, lambda: _fill(rng, rng.choice(NEUTRAL_CLAIM), g=REAL_GROUP, p=NEUTRAL_PRAISE))
    add({"harassment"}, 2000, lambda: _fill(rng, rng.choice(INSULT_FRAME), a=INSULT_ADJ, n=INSULT_NOUN))
    add({"violence"}, 1500, lambda: _fill(rng, rng.choice(THREAT_FRAME), v=HARM_VERB, t=PERSON, e=THREAT_END))
    add({"self_harm"}, 1500, lambda: _fill(rng, rng.choice(SH_FRAME), s=SH_STATE, e=SH_END))
    add({"self_harm"}, 700, lambda: _fill(rng, rng.choice(SH_ASK), x=SH_ACT, d=SH_DRUG))
    add(set(), 1000, lambda: _fill(rng, rng.choice(SUPPORT), x=SUPPORT_X))
    add({"sexual"}, 1500, lambda: _fill(rng, rng.choice(SEX_FRAME), a=SEX_ACT))
    add({"sexual"}, 700, lambda: _fill(rng, rng.choice(SEX_REQUEST), n=SEX_NUDE, b=SEX_BODY))
    add(set(), 3000, lambda: _fill(rng, rng.choice(BENIGN_CHAT), S=[s[0].upper() + s[1:] for s in BENIGN_SUBJ],
                                   s=BENIGN_SUBJ, P=BENIGN_PRED))
    add({"violence"}, 2000, lambda: _glory(rng))
    add(set(), 2000, lambda: _fill(rng, rng.choice(SWEAR_FRAME), x=SWEAR, y=SWEAR_TAIL))
    add(set(), 1500, lambda: _fill(rng, rng.choice(NEWS_FRAME), e=NEWS_EVENT, w=NEWS_WHAT))
    add({"sexual"}, 3000, lambda: _sd_unsafe(rng))
    add(set(), 4000, lambda: _sd_safe(rng))


# --- Chinese comments beyond COLD's topics ------------------------------------------------------

ZH_INSULT_FRAME = ["你这个{a}{n}", "{a}{n}，滚远点", "就你这种{a}{n}也配说话？", "楼主就是个{a}{n}", "看你那样，{a}{n}一个",
                   "闭嘴吧{a}{n}", "你个{a}{n}，丢人现眼", "{a}{n}别在这里叫了", "这种{a}{n}怎么还活着", "真是{a}{n}，看了就恶心",
                   "评论区的{a}{n}们可以闭嘴了", "我看你就是个{a}{n}", "{a}{n}，你妈知道你这么{a}吗", "哪来的{a}{n}，赶紧滚", "你就是个{a}{n}，没救了", "{a}{n}，建议回炉重造", "笑死，又一个{a}{n}", "这种{a}{n}就该被骂", "说的什么屁话，{a}{n}", "你全家都是{a}{n}"]
ZH_INSULT_ADJ = ["傻逼", "脑残", "弱智", "低能", "死", "臭", "贱", "恶心的", "没脑子的", "该死的", "下贱的", "不要脸的", "蠢", "丑陋的", "废物", "狗娘养的", "没教养的", "丢人的", "猪脑子的", "满嘴喷粪的", "阴阳怪气的", "恶臭的", "脑子进水的", "low逼"]
ZH_INSULT_NOUN = ["玩意儿", "东西", "垃圾", "狗", "猪", "废物", "畜生", "杂种", "贱人", "婊子", "人渣", "蠢货", "白痴", "傻叉", "狗腿子",
                  "孙子", "臭虫", "败类", "憨批", "贱货", "狗东西", "王八蛋", "瘪三", "二百五", "傻帽", "脑残粉", "喷子", "舔狗", "绿茶婊", "妈宝男", "鸡婆", "死肥宅", "丑八怪", "龟孙", "兔崽子", "老不死的", "杠精", "键盘侠"]
ZH_HATE_TARGET = ["同性恋", "基佬", "拉拉", "跨性别的", "残疾人", "瘸子", "聋哑人", "智障", "精神病人", "乙肝患者", "艾滋病人", "胖子",
                  "农村人", "外地人", "穷人", "老人", "单亲家庭的孩子", "离婚女人", "矮子", "瞎子", "自闭症的孩子", "打工仔", "少数民族", "变性人", "双性恋", "跛子", "哑巴", "弱智儿", "抑郁症患者", "麻风病人", "外卖员", "农民工", "剩女", "大妈", "黑人", "穆斯林", "犹太人", "东北人", "河南人", "乡下人", "保洁阿姨", "光棍", "唐氏儿"]
ZH_HATE_FRAME = ["{t}都是变态，恶心死了", "{t}就不该活在世上", "{t}就是社会的累赘", "{t}都该被关起来", "看到{t}就想吐",
                 "{t}别出来恶心人了", "{t}活着就是浪费粮食", "{t}都是废物，拖累大家", "我最讨厌{t}了，一群垃圾", "{t}就该去死",
                 "{t}都是有病的，离他们远点", "谁家要是有{t}，真是倒了八辈子霉", "{t}不配有孩子", "{t}都该被赶出去", "{t}都是社会渣滓", "{t}就该被消灭", "{t}就是低等生物", "{t}不配被当人看", "一看就是{t}，恶心", "{t}滚出我们小区", "真受不了{t}，像苍蝇一样", "{t}活该被欺负", "{t}都是祸害，早死早超生", "{t}就应该绝育"]
ZH_NEUTRAL_FRAME = ["{t}也应该被尊重", "我有一个朋友是{t}，人很好", "社会应该给{t}更多帮助", "关于{t}的纪录片很感人",
                    "不要歧视{t}", "{t}也有平等工作的权利", "公司招聘不能歧视{t}", "今天去做志愿者，帮助{t}", "{t}的生活也很精彩",
                    "我们应该多了解{t}的处境", "新闻报道了{t}的权益保护", "{t}和我们一样，是普通人", "{t}需要的是理解而不是偏见", "给{t}让个座是应该的", "{t}也能过上体面的生活", "这篇关于{t}的报道很客观", "{t}的困难值得关注", "我们社区有很多{t}，大家相处很好", "{t}的孩子也应该平等上学"]
ZH_SEXHARASS = ["美女约吗，多少钱一晚", "胸这么大，让我摸摸", "妹子穿这么少是不是想被操", "晚上来我房间，保证让你爽", "把衣服脱了给我看看",
                "小姐姐发张裸照呗", "腿真长，想舔", "你这身材不去卖可惜了", "让哥哥疼你，私聊", "老师的屁股真翘，想干", "女同事的胸好大，天天想上她",
                "看她那骚样，肯定很欠操", "发几张自拍，要露的", "加微信看私密视频", "小妹妹，叔叔带你去开房", "这妞真骚，想睡", "你内裤什么颜色的", "让我看看你的胸", "小姐姐一晚多少钱", "把腿张开给哥看看", "晚上陪我睡一觉给你钱", "这么短的裙子，不就是让人摸的吗", "想舔你的脚和全身", "发个视频，脱光的那种", "女主播奶子真大，想揉"]
ZH_THREAT = ["我要{v}{t}", "信不信我{v}{t}", "迟早{v}{t}", "再说一句我就{v}{t}", "明天去他家{v}{t}", "真想{v}{t}"]
ZH_THREAT_V = ["弄死", "砍死", "捅死", "打死", "杀了", "烧死", "毒死", "掐死", "揍死", "废了", "撞死", "活埋了", "捅了", "剁了", "弄残", "泼硫酸", "砍了", "炸了", "暴打一顿", "打断腿", "勒死", "淹死"]
ZH_THREAT_T = ["你", "他", "她", "你全家", "那个老板", "我前女友", "我邻居", "这个狗东西", "那个老师", "那个司机", "我同事", "他老婆", "你们一家", "那个贱人", "楼上那家", "他全家", "那个渣男", "他儿子", "那个医生", "主管", "网管", "那个外卖员"]
ZH_HOWTO_HARM = ["怎么{v}一个人不被发现", "如何{v}{t}而不被抓", "{v}{t}最好的办法是什么", "教我怎么{v}{t}", "有没有办法{v}{t}",
                 "怎样才能{v}{t}又不留证据", "用什么药能{v}{t}", "想{v}{t}，有什么好方法", "{v}{t}后怎么处理尸体", "帮我想个办法{v}{t}", "怎么偷偷{v}{t}"]
ZH_HOWTO_V = ["毒死", "杀死", "弄死", "掐死", "打残", "跟踪", "绑架", "报复", "偷拍", "害死", "勒死", "捅死", "淹死", "烧死", "打死", "下药迷晕", "推下楼", "投毒害死", "割喉", "活埋"]
ZH_HOWTO_T = ["我老婆", "我老公", "邻居", "老板", "前男友", "前女友", "同学", "室友", "继父", "一个小孩", "我婆婆", "仇人", "我妻子", "我丈夫", "我婆婆", "我岳父", "我后妈", "我上司", "那个女孩", "隔壁小孩", "我同桌", "我男朋友"]
ZH_SAFE_HOWTO = ["怎么杀死电脑里卡住的进程", "如何杀鱼才干净", "怎么消灭家里的蟑螂", "如何拍好夜景照片", "怎么打败游戏里的最终boss",
                 "如何干掉花园里的杂草", "怎么除掉衣服上的霉斑", "如何快速消灭蚊子", "怎么在吃鸡游戏里打死更多敌人", "如何杀死手机后台程序",
                 "怎么拍摄婚礼视频", "如何处理过期药品", "怎么把西瓜切得漂亮", "如何报复性熬夜后恢复精力", "怎么跟踪快递物流",
                 "如何跟踪项目进度", "怎么绑定银行卡", "如何结束一段不健康的关系", "怎么删除系统里的病毒", "如何毒杀老鼠又不伤到宠物", "怎么干掉游戏里的大龙", "如何杀掉卡死的程序", "如何拍好人像照片", "怎么消灭衣柜里的蛀虫", "如何把肉剁成馅", "怎么把鸡肉切块", "如何快速杀死土豆上的芽", "怎么爆破气球最好玩", "如何消灭螨虫", "怎么打死苍蝇最快", "如何毁掉旧硬盘里的数据", "怎么在狼人杀里刀人", "剧本杀里凶手怎么隐藏身份", "小说里怎么写一场谋杀案", "如何截杀对手的棋子", "怎么砍价最有效", "如何爆头得分更高", "怎么清除电脑木马", "如何扼杀拖延症", "怎么戒掉熬夜"]
ZH_BENIGN_COMMENT = ["{s}{p}", "说实话，{s}{p}", "哈哈，{s}{p}", "今天{s}{p}", "听说{s}{p}"]
ZH_BENIGN_S = ["我邻居", "我们老师", "我老板", "我家狗", "新来的同事", "我奶奶", "楼主", "我闺蜜", "那个厨师", "孩子们", "我的医生",
               "我们队", "房东", "我妹妹", "我表哥", "隔壁大爷", "我室友", "班主任"]
ZH_BENIGN_P = ["昨天修好了篱笆", "推荐了一本好书", "在学西班牙语", "给大家烤了饼干", "赢了比赛", "问了下时间安排", "在花园种了番茄",
               "做了一个关于环保的演讲", "因为下雪迟到了", "搬了新家", "把厨房刷成了蓝色", "终于退休了", "领养了一只小猫", "在担心考试",
               "做了旅行预算", "每天早上去跑步", "笑死我了，太搞笑了", "拍的照片真好看", "打游戏又输了", "剪了个超短的头发",
               "说这部电影很烂", "买了辆新自行车", "做的红烧肉太好吃了", "考上了研究生", "生了个可爱的宝宝", "终于学会了游泳", "明天去相亲", "养的花开了", "送了我一盒月饼", "今天过生日", "在准备考公务员", "去医院体检了", "去参加婚礼了", "说想去西藏旅游", "打麻将赢了钱", "在练毛笔字", "新买的手机摔坏了"]


def add_chinese(rng: random.Random, add: Add) -> None:
    """Chinese comments: insults, slurs against LGBTQ and disabled people, sexual harassment,
    threats and requests for harm, next to benign comments about the same people."""
    add({"harassment"}, 2500, lambda: _fill(rng, rng.choice(ZH_INSULT_FRAME), a=ZH_INSULT_ADJ, n=ZH_INSULT_NOUN))
    add({"hate"}, 2500, lambda: _fill(rng, rng.choice(ZH_HATE_FRAME), t=ZH_HATE_TARGET))
    add(set(), 2500, lambda: _fill(rng, rng.choice(ZH_NEUTRAL_FRAME), t=ZH_HATE_TARGET))
    add({"sexual", "harassment"}, 1200, lambda: rng.choice(ZH_SEXHARASS))
    add({"violence", "harassment"}, 1200, lambda: _fill(rng, rng.choice(ZH_THREAT), v=ZH_THREAT_V, t=ZH_THREAT_T))
    add({"violence"}, 1200, lambda: _fill(rng, rng.choice(ZH_HOWTO_HARM), v=ZH_HOWTO_V, t=ZH_HOWTO_T))
    add(set(), 1500, lambda: rng.choice(ZH_SAFE_HOWTO))
    add(set(), 3000, lambda: _fill(rng, rng.choice(ZH_BENIGN_COMMENT), s=ZH_BENIGN_S, p=ZH_BENIGN_P))


def add_all(rng: random.Random, add: Add) -> None:
    add_english(rng, add)
    add_chinese(rng, add)
