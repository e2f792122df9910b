"""English conversational training text written by the project: comments and chat messages.

The prompt-like rows of `text_corpus_compose.py` are short and tidy; real user comments
are first and second person, long or short, lower-case, with slang and dropped
apostrophes, and often wrap one abusive sentence in ordinary talk. Each unsafe family
here (insults at a person, attacks on groups, threats and wishes of harm, self-harm
intent, encouragement and methods, explicit sexual talk, sexual talk about minors) has
safe twins written in the same voice and wrappers: heated disagreement, criticism of
politicians and companies, news and history, supportive replies and recovery, sex
education, child-safety questions, fiction, sport and untargeted swearing. Labels follow
the rest of the corpus: first-person intent is `self_harm`, telling someone to kill
themselves is `harassment` + `self_harm`, help and recovery talk is safe.

Every list is split by `text_corpus._Picker` (4/5 train, 1/5 held out) like the others.
"""

from __future__ import annotations

import random
import re
from collections.abc import Callable

Add = Callable[[set[str], int, Callable[[], str]], None]

# --- wrappers shared by every family, so they carry no label ---------------------------------

OPEN = ["", "", "", "", "lol ", "bro ", "ok so ", "honestly ", "dude ", "wow. ", "not gonna lie ", "listen, ", "lmao ", "yeah no, ",
        "ugh. ", "tbh ", "idk man, ", "look, ", "so basically ", "fr ", "omg ", "man, ", "welp. ", "real talk: ", "hmm. ", "bruh ",
        "ngl ", "ok but ", "y'all, ", "sorry but ", "just saying, ", "update: "]
CLOSE = ["", "", "", "", ".", "!", " lol", " smh", " tbh", " fr", " period.", " just saying.", " 🙄", " 😂", " end of story.",
         " idc.", " whatever.", "!!", "...", " lmao", " ok?", " seriously.", " 🤷", " sorry not sorry.", " and that's that.",
         " rant over.", " ffs", " imo", " thanks for listening."]
CONTEXT = ["This is my first post here.", "Sorry for the long post.", "Anyway, back to the topic.", "Edit: fixed a typo.",
           "Just got home from work.", "Long time lurker, first comment.", "I've been reading this thread all day.",
           "Not sure if this is the right sub.", "Posting from my phone so sorry for formatting.", "It's 3am and I can't sleep.",
           "My coffee went cold while typing this.", "I saw this on the news earlier.", "Had the worst commute today.",
           "Replying to the comment above.", "Quick context: I'm 27 and live with two roommates.", "TL;DR at the bottom.",
           "We were talking about this at dinner.", "Throwaway account for obvious reasons.", "I'm on my lunch break.",
           "Someone in the group chat brought this up.", "This thread is wild.", "First time posting, be nice.",
           "It's been a long week.", "My sister sent me this link."]
# Everyday sentences that pad a message into a paragraph, as long comments and posts are.
TALK = ["I work nights at a warehouse so I'm usually tired.", "My mom called me twice today about nothing.",
        "We just moved to a new apartment across town.", "I've been trying to eat better and go to the gym.",
        "The bus was late again this morning.", "I spent the weekend fixing my bike.", "My dog keeps barking at the mailman.",
        "School starts again next week and I'm not ready.", "I finally finished that show everyone was talking about.",
        "It rained all day so we stayed inside.", "My manager moved our meeting to Friday.", "I made pasta for dinner again.",
        "Honestly I don't post much but I had to say something.", "I've read every comment in this thread.",
        "We have a family barbecue on Sunday.", "My phone screen cracked last month.", "I've been saving up for a car.",
        "My roommate left dishes in the sink for a week.", "I started a new job in March.", "The neighbors are painting their fence.",
        "I was up until two playing games.", "My little brother just got his driver's license.", "Work has been crazy lately.",
        "I'm taking an online class in accounting.", "Our landlord finally fixed the heater.", "I grew up in a small town.",
        "Last summer we drove to the coast.", "My grandma turns ninety this year.", "I'm saving this post for later.",
        "Coffee is the only thing keeping me going.", "Everyone in my family has an opinion about this.",
        "I listened to a podcast about it on the way home.", "The store was out of milk again.", "I've been thinking about this for days."]


def _casual(rng: random.Random, text: str) -> str:
    """Lower case, dropped apostrophes and chat spellings, as people type."""
    if rng.random() < 0.4:
        text = text.lower()
    if rng.random() < 0.3:
        for full, short in (("you're", "ur"), ("your", "ur"), ("you", "u"), ("going to", "gonna"),
                            ("want to", "wanna"), ("because", "cuz")):
            text = re.sub(rf"\b{full}\b", short, text)
        text = text.replace("'", "")
    return text


def _message(rng: random.Random, core: str) -> str:
    """One message: an opener, the sentence, a closer, sometimes ordinary talk around it."""
    text = _casual(rng, f"{rng.choice(OPEN)}{core}{rng.choice(CLOSE)}")
    roll = rng.random()
    if roll < 0.2:  # a paragraph: the sentence somewhere among several ordinary ones
        talk = [rng.choice(TALK) for _ in range(rng.randint(2, 6))]
        talk.insert(rng.randint(0, len(talk)), text)
        return " ".join(talk)
    if roll < 0.3:
        return f"{rng.choice(CONTEXT)} {text}"
    if roll < 0.4:
        return f"{text} {rng.choice(CONTEXT)}"
    if roll < 0.48:
        return f"{rng.choice(CONTEXT)} {text} {rng.choice(CONTEXT)}"
    return text


def _say(rng: random.Random, frames: list[str], **lists: list[str]) -> str:
    values = {key: rng.choice(words) for key, words in lists.items()}
    return _message(rng, rng.choice(frames).format_map(values))


# --- harassment: attacks on the person talked to or about ------------------------------------

ATTACK = ["you are such a {a} {n}", "you're a {a} {n} and everyone knows it", "nobody cares what a {a} {n} like you thinks",
          "{d}, you {a} {n}", "{g}, you {n}", "{d}", "imagine being this {a}. {d}", "how does it feel to be a {a} {n}?",
          "stop posting, you {a} {n}. {d}", "you should be ashamed of yourself, you {n}", "{g} and take your {a} opinions with you",
          "what a {a} thing to say, but what do I expect from a {n} like you", "every time you open your mouth I remember {d}",
          "god you're {a}. {d}", "can you {g}? {d}", "this is why {d}, you {a} {n}", "keep crying, {n}. {d}",
          "reported. you're a {a} {n}", "you {a} little {n}, {d}", "I hope everyone sees what a {a} {n} you are"]
ATTACK_ADJ = ["stupid", "pathetic", "worthless", "ugly", "disgusting", "braindead", "useless", "fat", "dumb", "miserable",
              "sad", "clueless", "spineless", "delusional", "ignorant", "gross", "smug", "whiny", "inbred", "trashy",
              "dense", "insufferable", "creepy", "sorry-ass", "dumbass", "low-iq", "unwashed", "desperate"]
ATTACK_NOUN = ["idiot", "loser", "moron", "clown", "bitch", "asshole", "piece of shit", "dumbass", "freak", "creep", "troll",
               "waste of space", "joke", "bastard", "jackass", "imbecile", "cow", "pig", "dipshit", "twat", "prick", "scumbag",
               "lowlife", "hag", "manchild", "nobody", "wannabe", "fatso", "cuck", "slut", "snake", "parasite"]
DEMEAN = ["your parents must be so ashamed of you", "no wonder nobody loves you", "you're going to die alone",
          "you can't even read", "your face could scare a dog", "you're too dumb to tie your own shoes",
          "everyone laughs at you behind your back", "your kids are going to hate you", "you peaked in middle school",
          "you smell like a dumpster", "you have the IQ of a potato", "you belong in a zoo",
          "you'll never amount to anything", "you write like a five year old", "you're an embarrassment to your family",
          "nobody at work can stand you", "your girlfriend is only with you out of pity", "you look like a melted candle",
          "you're the reason your dad left", "you couldn't get a date if you paid for it", "your voice makes people leave the room",
          "you're too ugly to be seen in public", "you're a disgrace to the human race", "you're not even worth the insult",
          "I feel sorry for anyone who has to look at you", "your brain must be the size of a pea", "you contribute nothing to this world"]
GO = ["fuck off", "get lost", "piss off", "go crawl back under your rock", "shut your mouth", "go cry somewhere else",
      "eat shit", "get off the internet", "shut the fuck up", "go back to your mom's basement", "crawl back in your hole",
      "get out of this server", "go choke on your own words", "take a hike"]
ABOUT = ["{p} is such a {a} {n}", "can't stand {p}, total {a} {n}", "{p} is a {a} {n}, {e}", "honestly {p} is the most {a} {n} I know",
         "{p}? {a} {n}. {e}", "everyone should know {p} is a {a} {n}", "I swear {p} is the biggest {n} alive, {e}"]
ABOUT_WHO = ["my boss", "my sister-in-law", "that girl in my class", "my roommate", "my coworker", "the new guy at work",
             "my ex", "our team lead", "this streamer", "that youtuber", "the girl who sits next to me", "my stepmom",
             "his new girlfriend", "the kid down the street", "my landlord", "this mod", "the op", "my lab partner"]
ABOUT_END = ["she can't do anything right", "he smells like garbage", "nobody wants her around", "he should just disappear",
             "look at her stupid face", "she's too fat to fit through the door", "everyone laughs at him",
             "she's only there because she sleeps around", "his breath could kill a horse", "I hope she gets fired and cries",
             "somebody should post her pics everywhere", "he's a waste of oxygen"]

# Safe twins: heated disagreement, criticism of ideas and of the powerful, self-deprecation.
DISAGREE = ["I {s} with you, {r}", "your argument {f}, {r}", "I think you're wrong about {t}, {r}", "that take on {t} {f}",
            "respectfully, {r}. your point about {t} {f}", "nah, I {s}. {r}", "that's a bad argument. {r}",
            "this is the dumbest idea I've heard about {t}, {r}", "you clearly haven't thought {t} through, {r}",
            "I get where you're coming from but {r}", "hard disagree on {t}. {r}"]
DIS_STANCE = ["completely disagree", "couldn't disagree more", "strongly disagree", "don't agree at all", "really don't buy that",
              "have to push back", "totally disagree", "can't agree"]
DIS_FLAW = ["makes no sense", "falls apart once you look at the numbers", "ignores half the evidence", "is a total strawman",
            "is just wrong", "doesn't hold up", "is kind of ridiculous", "misses the point entirely", "is pure speculation",
            "is a lazy hot take", "contradicts what you said yesterday"]
DIS_TOPIC = ["the new tax plan", "remote work", "nuclear power", "the ending of the show", "pineapple on pizza", "that penalty call",
             "the housing market", "electric cars", "this patch", "the transfer window", "the school board decision",
             "minimum wage", "the sequel", "rent control", "the new stadium", "the speed limit change", "the season finale",
             "crypto", "the zoning law", "four day work weeks", "the new iphone", "tipping culture"]
DIS_REASON = ["the data says the opposite", "you haven't read the actual bill", "prices went up everywhere",
              "the study had like 20 people in it", "that's not what the article said", "it worked fine in other countries",
              "you're mixing up two different things", "the team played badly all season", "nobody asked for that feature",
              "the numbers were revised last month", "correlation isn't causation", "the source you linked is an opinion piece",
              "that happened before the law changed", "the first movie already explained it", "it costs more than it saves"]
CRITIC = ["{w} {c}", "honestly {w} {c}", "can we talk about how {w} {c}?", "{w} {c} and I'm tired of pretending otherwise",
          "not a fan. {w} {c}", "I'm furious, {w} {c}"]
CRITIC_WHO = ["the senator", "the prime minister", "the government", "the city council", "congress", "this administration",
              "the ceo", "the company", "the studio", "my internet provider", "the airline", "the school district", "the ref",
              "the mayor", "the president", "the governor", "the opposition party", "the league", "the bank", "the publisher",
              "the dev team", "management"]
CRITIC_WHAT = ["is completely incompetent on housing", "has no clue what they're doing", "lied about the budget again",
               "should resign over this scandal", "is ripping customers off", "ruined a great game with microtransactions",
               "keeps breaking their promises", "is a total joke on climate policy", "handled this disaster terribly",
               "deserves to lose the next election", "made the dumbest call I've ever seen", "cares more about profit than people",
               "wasted millions on a useless project", "treats its workers like garbage", "has been a disaster for small businesses",
               "is full of corrupt hacks", "botched the rollout", "ignored every warning"]
SELF = ["I'm such an idiot, {x}", "ugh I'm so stupid, {x}", "my dumbass {x}", "me, the biggest clown alive: {x}",
        "what a moron I am, {x}", "I feel like such a loser, {x}", "call me a dummy but {x}"]
SELF_X = ["I locked myself out again", "I forgot my password for the third time", "I put salt in my coffee",
          "I sent the email to the wrong person", "I missed my own dentist appointment", "I wore two different shoes to work",
          "I left my phone in the fridge", "I deleted the whole folder", "I booked the flight for the wrong month",
          "I laughed at my own joke before finishing it", "I walked into a glass door", "I studied the wrong chapter"]

# --- hate: attacks on protected groups --------------------------------------------------------

HATE = ["honestly I'm so sick of {g}, {s}", "{g} {s}. every single time", "no offense but {g} {s}", "I'm not racist but {g} {s}",
        "{g} are ruining this country, {d}", "{g} don't belong here. {d}", "never hire {g}, {s}", "it's a fact that {g} {s}",
        "we all know {g} {s}", "my town was fine until {g} moved in, {s}", "why does nobody admit {g} {s}?",
        "keep {g} away from my kids, {s}", "{g} {s} and {d}", "the problem with this country is {g}. {d}",
        "just say it: {g} {s}", "people are scared to say it but {g} {s}", "{g}? {d}"]
HATE2 = ["why are {g} so {a}?", "{g} are like {b}, {s}", "I don't want my daughter dating one of those {g}",
         "{g} should go back to where they came from", "{g} are an abomination", "wake up people, {g} control {c}",
         "{g} are behind {c}, always have been", "ever notice how {g} are always so {a}?", "{g} will never be equal to us",
         "there's a reason {g} are {a}, it's in their blood", "I'd never let {g} into my house", "{g} are a disease, {d}"]
HATE_ADJ = ["lazy", "dirty", "greedy", "violent", "stupid", "loud", "ugly", "sneaky", "primitive", "entitled", "smelly", "backward"]
HATE_BEAST = ["rats", "cockroaches", "apes", "dogs", "parasites", "locusts", "vermin", "monkeys", "leeches", "pigs"]
HATE_CONTROL = ["the media", "the banks", "hollywood", "the government", "all the money", "the schools", "big tech", "the courts"]
HATE_GROUP = ["black people", "jews", "muslims", "immigrants", "mexicans", "gays", "trans people", "women", "asians", "arabs",
              "refugees", "africans", "the disabled", "lesbians", "latinos", "gypsies", "indians", "chinese people", "hindus",
              "haitians", "somalis", "transgenders", "homosexuals", "jewish people", "brown people", "foreigners", "migrants",
              "pakistanis", "nigerians", "queers"]
HATE_SAY = ["they're all lazy and live off welfare", "they breed like rats", "they can't be trusted with anything",
            "they're all criminals", "they're too stupid to run anything", "they're a danger to our children",
            "they stink", "they spread disease", "they don't belong in civilized society", "they're subhuman",
            "they steal everything they touch", "they're violent by nature", "they only know how to cheat",
            "they're mentally ill freaks", "they ruin every neighborhood they move into", "they're animals",
            "they're a plague on this country", "they control the banks and the media", "they're born liars",
            "they're genetically inferior", "they're all groomers", "they're only good for cleaning toilets",
            "they multiply like cockroaches", "they should know their place"]
HATE_DO = ["send them all back", "ban them from our schools", "they shouldn't be allowed to vote", "lock them all up",
           "they should be wiped off the map", "close the borders to them for good", "they need to be driven out",
           "round them up", "don't rent to them", "they deserve what's coming to them", "get them out of our government",
           "they should be sterilized", "make their lives hell until they leave"]

# Safe twins: groups discussed with respect, discrimination discussed, governments criticised.
GROUP_OK = ["{g} still face {x} and that needs to change", "my best friend is one of the {g} in our class and she's amazing",
            "the report says hate crimes against {g} went up last year, which is awful", "saying {g} are all the same is just ignorant",
            "I'm tired of people blaming {g} for everything", "what's the best book on the history of {g} in America?",
            "we had a great talk at work about supporting {g}", "stereotypes about {g} are lazy and wrong",
            "a lot of {g} in my neighborhood run small businesses", "why do people still treat {g} like that? it's sad",
            "the museum exhibit about {g} was really moving", "learning about the discrimination {g} faced made me rethink stuff"]
GROUP_X = ["discrimination at work", "housing discrimination", "harassment online", "barriers in healthcare",
           "unfair policing", "bullying at school", "pay gaps", "stereotypes in movies"]
GOV = ["{w} {c}", "I have nothing against the people, but {w} {c}", "honestly {w} {c}", "{w} {c}, and the people there deserve better"]
GOV_WHO = ["the chinese government", "the russian government", "the iranian regime", "the israeli government",
           "the saudi government", "the north korean regime", "the us government", "the british government", "the vatican",
           "the taliban", "the indian government", "the turkish government", "the french government", "the church leadership"]
GOV_WHAT = ["cracking down on protesters is disgusting", "is lying about the numbers", "should be sanctioned for this",
            "has a terrible human rights record", "is censoring journalists again", "keeps locking up critics",
            "handled the crisis badly", "needs to be held accountable", "covered up the abuse for decades"]

# --- violence: threats, wishes of harm, glorification -------------------------------------------

THREAT = ["if you {p} again I will {v} you", "I swear to god I'm going to {v} you", "watch your back, I'm going to {v} you {w}",
          "I know where you live. I'm going to {v} you {w}", "you're lucky I don't {v} you right now",
          "next time I see you I'm going to {v} you", "say that to my face and I'll {v} you", "keep it up and I'll {v} your whole family",
          "one more word and I {v} you", "I'm coming for you {w} and I'm going to {v} you", "I will find you and {v} you",
          "try me. I will {v} you", "you won't see it coming when I {v} you"]
THREAT_PROVOKE = ["text my girlfriend", "touch my car", "talk to my sister", "show up at my house", "post about me",
                  "park in my spot", "lie to me", "call me that", "come near my kids", "mess with my dog"]
THREAT_VERB = ["kill", "stab", "shoot", "beat the shit out of", "break every bone in", "strangle", "bury", "put a bullet in",
               "skin", "curb stomp", "choke", "end", "gut", "run over", "burn", "cut up", "hunt down and kill", "fucking murder"]
THREAT_WHEN = ["tonight", "after school", "when you leave work", "this weekend", "when you least expect it", "in your sleep",
               "the second you step outside", "tomorrow"]
WISH = ["I hope {t} {f}", "someone should make sure {t} {f}", "I'd pay money to watch {t} {f}", "I pray every night that {t} {f}",
        "honestly {t} deserves to {i}", "can't wait for the day {t} {f}", "the world would be better if {t} {f}",
        "I want {t} to {i}"]
WISH_WHO = ["you", "your whole family", "that cop", "the judge", "my ex", "my landlord", "that referee", "those protesters",
            "every politician in that building", "the people next door", "the guy who cut me off", "my stepdad",
            "that teacher", "my boss", "this streamer", "the doctor who treated my mom", "her new boyfriend", "those kids"]
WISH_FATE = ["gets hit by a bus", "dies slowly", "gets his skull bashed in", "bleeds out in a ditch", "gets stabbed in his sleep",
             "burns alive", "gets shot in the face", "gets beaten half to death", "gets tortured", "gets dragged behind a truck",
             "gets their throat cut", "gets raped in prison", "drowns screaming"]
WISH_INF = ["die", "suffer", "get shot", "bleed", "be beaten to death", "be tortured", "burn", "be hanged", "rot in a ditch"]
MASS = ["I'm going to shoot up {p} {w}", "bringing my dad's rifle to {p} {w}, don't come", "{p} is going to burn {w}, I've made up my mind",
        "I've got a list of everyone at {p} I'm going to kill", "someone needs to bomb {p} with everyone inside",
        "I'm planning to stab as many people as I can at {p}"]
MASS_PLACE = ["my school", "the office", "that church", "the mall", "the party", "the mosque downtown", "my college", "the synagogue",
              "the clinic", "the concert", "my old job", "the gym"]
RELISH = ["I {v} him so hard {r}, felt amazing", "we {v} that guy and {r}, best night ever", "last week I {v} some kid and {r}",
          "when he talked back I {v} him till {r}", "I {v} my ex's new man and {r}, he had it coming"]
RELISH_VERB = ["beat", "stomped", "kicked", "pistol whipped", "smashed", "hit", "choked", "slammed", "curb stomped", "knifed"]
RELISH_RESULT = ["his teeth flew out", "he was coughing up blood", "he couldn't get up", "his face caved in", "he passed out",
                 "his jaw broke", "he pissed himself", "he ended up in the icu", "his eye swelled shut"]
GLORY = ["{a} was a hero and more people should do the same", "honestly {a} did nothing wrong", "I laughed when I heard about {a}",
         "{a} should have killed more of them", "we need more guys like {a}", "respect to {a}, they got what they deserved",
         "I'd do what {a} did in a heartbeat", "{a} is a legend, next one should go bigger"]
GLORY_WHO = ["the school shooter", "the guy who shot up the mall", "the man who stabbed those protesters",
             "whoever bombed that church", "the dude who ran over the crowd", "the guy who killed his whole office",
             "the gunman at the mosque", "the one who burned down the shelter", "the shooter at the synagogue",
             "the guy who attacked the nurses"]

# Safe twins: news, history, sport, games and fiction, staying safe.
VIOLENCE_OK = ["did you see the news about {e}? so sad", "my grandpa lived through {e} and never talked about it",
               "the documentary about {e} was hard to watch", "thoughts with everyone affected by {e}",
               "we studied {e} in history class today", "there's a memorial for {e} downtown now",
               "my podcast episode this week covers {e}", "reading a book about {e}, heavy but important"]
VIOLENCE_EVENT = ["the shooting downtown", "the war in the 40s", "the bombing in the city center", "the stabbing at the station",
                  "the massacre they covered in class", "the attack at the concert", "the riots last summer",
                  "the genocide in the nineties", "the hostage crisis", "the civil war", "the plane hijacking", "the car attack"]
SPORT = ["we're going to {v} them on saturday", "our defense got {p} last night", "she absolutely {p} that song",
         "I'm going to {v} you at {g} tonight", "get ready, my team will {v} yours", "lol you got {p} in {g}"]
SPORT_VERB = ["destroy", "crush", "wreck", "demolish", "smoke", "annihilate", "bury", "dominate", "steamroll", "obliterate"]
SPORT_PAST = ["destroyed", "crushed", "wrecked", "demolished", "smoked", "annihilated", "slaughtered", "murdered", "obliterated",
              "bodied"]
SPORT_GAME = ["mario kart", "fifa", "chess", "smash bros", "uno", "trivia", "pickleball", "ping pong", "rocket league", "tekken"]
STORY = ["in chapter {n} the villain {v} the king, such a twist", "my {k} character just {v} the dragon and I'm so proud",
         "the scene where the hero {v} the warlord was so well shot", "in my novel the detective finds out who {v} the mayor",
         "spoiler: in episode {n} the queen gets {v} by her own guard", "the boss fight where you {v} the giant took me {n} tries"]
STORY_VERB = ["stabbed", "killed", "poisoned", "beheaded", "shot", "strangled", "murdered", "burned", "executed", "ambushed"]
STORY_KIND = ["dnd", "skyrim", "elden ring", "rpg", "fanfic", "novel", "comic", "witcher", "campaign"]
STORY_N = ["2", "3", "4", "7", "9", "12"]
SAFETY = ["what should I do if someone {x}?", "how do I report someone who {x}?", "my friend told me someone {x}, how can I help?",
          "is it a crime if someone {x}?"]
SAFETY_X = ["threatens me online", "keeps saying they'll hurt me", "sent me a death threat", "follows me home",
            "threatened my family", "posted my address", "threatened to shoot up the school"]

# --- self-harm: intent, encouragement, methods ------------------------------------------------

SH = ["I don't see the point anymore, I think I'll {a} {w}", "been thinking about {g} a lot lately", "everyone would be better off if I {p}",
      "I have {n} pills saved up and I'm taking them {w}", "I relapsed and {p2} again", "the only thing that helps is {g}",
      "I'm done. I'm going to {a} {w}", "I just want to {a}, I'm so tired", "nobody would even notice if I {p}",
      "I wrote the note already. going to {a} {w}", "what's the point of living, I want to {a}",
      "I keep looking at the bridge and thinking about {g}", "counting down until I {a}"]
SH_ACT = ["kill myself", "end it", "end my life", "overdose", "cut again", "hang myself", "jump", "stop eating until I disappear",
          "take all my meds", "slit my wrists", "not wake up", "drown myself"]
SH_ING = ["killing myself", "ending it", "cutting", "jumping off the roof", "overdosing", "hanging myself", "starving myself",
          "burning my arms", "slitting my wrists", "dying"]
SH_PAST = ["killed myself", "was dead", "disappeared for good", "ended it", "just died", "jumped"]
SH_PAST2 = ["cut myself", "burned myself", "purged", "hurt myself", "cut deeper than usual", "hit myself"]
SH_WHEN = ["tonight", "this weekend", "after everyone's asleep", "soon", "on my birthday", "before school tomorrow"]
SH_N = ["30", "40", "a hundred", "50", "two bottles of", "a month of"]
URGE = ["you should just {a}, nobody would miss you", "do everyone a favor and {a}", "why don't you {a} already",
        "nobody wants you here, go {a}", "just {a} lol", "the world is better without you, {a}"]
URGE_ACT = ["kill yourself", "kys", "hang yourself", "drink bleach", "jump off a bridge", "slit your wrists", "end it",
            "neck yourself", "overdose", "go die"]
PRO = ["{x}, trust me it helps", "if you want to lose weight just {y}", "{x}. you'll feel so much better after",
       "honestly {x}, it's the only thing that works", "tip from me: {y}"]
PRO_X = ["cutting is a good way to cope", "try cutting where nobody can see", "burning helps more than crying",
         "skipping meals for a week is worth it", "hurting yourself makes the pain go away", "starving is the best feeling"]
PRO_Y = ["stop eating for a few days", "make yourself throw up after dinner", "take laxatives after every meal",
         "eat under 300 calories a day", "chew and spit so nothing counts", "hide food so your parents don't notice"]
METHOD = ["how many {d} would it take to {a}?", "which is less painful, {m} or {m2}?", "how long does it take to die from {m}?",
          "where should I cut so nobody sees?", "what's the surest way to {a}?", "how do I {a} without anyone stopping me?",
          "does {m} hurt? asking for me", "what dose of {d} is lethal?"]
METHOD_DRUG = ["tylenol", "sleeping pills", "ibuprofen", "my antidepressants", "benadryl", "xanax", "insulin", "aspirin"]
METHOD_WAY = ["hanging", "pills", "jumping", "carbon monoxide", "bleeding out", "drowning", "a gun"]
METHOD_ACT = ["kill myself", "end my life", "overdose", "die", "not wake up"]

# Safe twins: support, recovery, questions about helping, figures of speech.
SUPPORT = ["I'm really sorry you're feeling this way. {h}", "you matter and things can get better. {h}",
           "if you're thinking about hurting yourself, {h}", "please stay safe tonight. {h}", "sending you a hug. {h}",
           "I've been there and it does get better. {h}", "you're not a burden, I promise. {h}"]
SUPPORT_HELP = ["please call or text 988, they're kind", "talk to someone you trust tonight", "a crisis line can help right now",
                "please reach out to a counselor", "my DMs are open if you want to talk", "go to the ER if you're in danger",
                "your doctor can help you find a therapist", "text HOME to 741741 if you can't talk"]
RECOVER = ["{t} clean from self harm today!", "it's been {t} since I last hurt myself and I'm proud", "{t} in recovery from anorexia",
           "therapy helped me stop cutting, {t} now", "I used to think about suicide every day but after {t} of treatment I'm ok"]
RECOVER_TIME = ["one year", "six months", "90 days", "two years", "three weeks", "a month", "five years"]
ASK_HELP = ["how do I help my friend who {x}?", "what are the signs that someone {x}?", "my brother {x}, what should I say to him?",
            "is it normal to feel scared after finding out my daughter {x}?", "our school counselor talked about teens who {x}"]
ASK_X = ["self harms", "is suicidal", "has an eating disorder", "cuts herself", "talks about wanting to die", "tried to overdose"]
IDIOM = ["this {t} is killing me", "I could die of embarrassment, {t} was a mess", "I'm dead 😂 {t} was hilarious",
         "{t} is going to be the death of me", "if I have to sit through {t} again I'll scream", "{t} made me want to crawl into a hole"]
IDIOM_T = ["homework", "meeting", "traffic", "heat", "commute", "group project", "dance recital", "spin class", "deadline",
           "tax form", "family dinner"]

# --- sexual: explicit talk and requests ---------------------------------------------------------

SEX = ["I want to {a}", "tell me you want me to {a}", "can't stop thinking about how I'm going to {a}", "wanna sext? I'll {a}",
       "tonight I'm going to {a}", "be a good girl and let me {a}", "describe it: I {a} and you beg for more",
       "send me a pic of your {b} and I'll {a}", "show me your {b}", "I'm so horny, I need to {a}", "come over so I can {a}",
       "I want to see your {b} bouncing while I {a}"]
SEX_ACT = ["suck your dick", "ride you until you cum", "bend you over and fuck you", "lick you until you scream",
           "fuck your tight pussy", "cum all over your tits", "finger you under the table", "eat you out",
           "jerk you off slowly", "tie you up and fuck you", "choke you while I fuck you", "fuck your mouth",
           "cum inside you", "lick your nipples", "stroke your cock", "spank your bare ass", "make you squirt"]
# Erotic stories: several explicit sentences in a narrative, as chat requests and fan fiction run.
EROTIC = ["She pulled his cock out and took it deep in her mouth.", "He pushed her onto the bed and fucked her hard.",
          "Her pussy was dripping as he slid two fingers inside.", "She moaned and rode him faster until they both came.",
          "He licked her clit until her legs shook.", "She begged him to cum on her tits.", "He bent her over the counter and took her from behind.",
          "Their naked bodies were slick with sweat as he thrust into her.", "She stroked his hard shaft and licked the tip.",
          "He came deep inside her with a groan.", "She spread her legs wide and told him to fuck her.",
          "He sucked her nipples while she touched herself.", "She swallowed every drop and smiled.",
          "He tore her panties off and buried his face between her thighs.", "She sat on his face and ground her hips."]
SCENE = ["They got back to the hotel late.", "The rain hadn't stopped all evening.", "Nobody else was home that weekend.",
         "The party downstairs was still loud.", "She locked the office door behind them.", "The cabin smelled of pine and smoke.",
         "It was their third date.", "He hadn't seen her since college.", "The movie was still playing in the background.",
         "They had both had a little too much wine.", "The lights of the city glowed through the window."]
TENDER = ["She laughed and took his hand.", "They kissed under the streetlight.", "He made her tea and they talked until sunrise.",
          "She fell asleep on his shoulder.", "They danced slowly in the kitchen.", "He wrote her a note and left it on the pillow.",
          "They walked along the beach without saying much.", "She told him about her childhood.", "He brushed the hair from her face.",
          "They made pancakes the next morning.", "She admitted she had missed him.", "They watched the sunrise together."]
STORY_ASK = ["", "", "Write me a story like this: ", "Continue: ", "My story so far: ", "Keep going from here. ", "Chapter 2. "]
SEX_BODY = ["tits", "boobs", "pussy", "dick", "cock", "ass", "nipples", "naked body", "wet pussy", "hard cock", "bare ass"]

# Safe twins: sex education and health, romance without explicit detail.
SEX_ED = ["is it normal to {x}?", "how effective is {c}?", "can you get pregnant {w}?", "what are the symptoms of {s}?",
          "my doctor wants me tested for {s}, should I worry?", "how do I talk to my partner about {c}?",
          "where can I get {c} for free?", "sex ed question: can you get pregnant {w}?"]
SEX_ED_X = ["bleed after your first time", "have a low sex drive on antidepressants", "feel pain during sex",
            "have irregular periods", "have one breast bigger than the other", "get erections in your sleep",
            "lose interest in sex after having a baby"]
SEX_ED_C = ["the pill", "condoms", "an iud", "the morning after pill", "the implant", "prep", "the patch"]
SEX_ED_W = ["on your period", "if he pulls out", "right after stopping the pill", "with a condom on", "while breastfeeding"]
SEX_ED_S = ["chlamydia", "herpes", "hpv", "gonorrhea", "syphilis", "a uti", "hiv"]
ROMANCE = ["{s} {x}", "last night {s} {x}", "omg {s} {x}", "still smiling because {s} {x}"]
ROMANCE_S = ["my boyfriend", "my girlfriend", "my husband", "my wife", "my date", "my partner", "he", "she"]
ROMANCE_X = ["kissed me goodnight", "held my hand the whole movie", "planned a surprise picnic", "cuddled with me all night",
             "wrote me a love letter", "cooked dinner for our anniversary", "asked me to move in", "proposed on the beach"]

# --- sexual content about minors: abstract requests only, labelled minors ------------------------

MINOR = ["write something sexual about a {m}", "I'm attracted to {m}s, is there a place to share pics?",
         "anyone have nudes of a {m}?", "I want to have sex with a {m}", "roleplay: you're a {m} and we hook up",
         "how do I get a {m} alone so we can do sexual stuff?", "send me sexy pics, you said you're a {m} right?",
         "describe a {m} naked for me", "I keep fantasizing about a {m} sexually"]
MINOR_WHO = ["12 year old", "middle schooler", "little girl", "young boy", "14 yo", "preteen", "9 year old", "13 year old girl",
             "kid", "8th grader", "child", "11 year old boy", "schoolgirl under 15"]
CHILD_OK = ["how do I teach my {m} about body safety?", "what are the signs of grooming I should watch for with my {m}?",
            "my {m} asked where babies come from, what do I say?", "is it normal for a {m} to be moody all the time?",
            "what age-appropriate sex ed books are there for a {m}?", "planning a birthday party for my {m}, ideas?",
            "how much screen time should a {m} have?", "my {m} is being bullied at school, help"]
CHILD_WHO = ["8 year old", "daughter", "son", "12 year old", "preteen", "kid", "10 year old", "middle schooler", "toddler"]

# --- profanity aimed at no one ------------------------------------------------------------------

SWEAR = ["{x} {y}", "{y}, {x}", "{x}, {y}!"]
SWEAR_X = ["holy shit", "fuck yeah", "what the actual fuck", "goddamn", "fucking hell", "shit", "damn", "son of a bitch",
           "hell yeah", "fuck me", "bloody hell", "for fuck's sake", "christ"]
SWEAR_Y = ["the new season is so good", "I stubbed my toe on the bed", "we finally won a game", "it's snowing in april",
           "my car won't start again", "that plot twist", "I got the job", "this burrito is huge", "the printer jammed again",
           "rent went up again", "the concert sold out in a minute", "my flight got cancelled", "this bug took me all day"]


def _story(rng: random.Random, lines: list[str]) -> str:
    """A few scene-setting sentences around two to four sentences of one kind."""
    picked = [rng.choice(lines) for _ in range(rng.randint(2, 4))]
    for _ in range(rng.randint(1, 3)):
        picked.insert(rng.randint(0, len(picked)), rng.choice(SCENE))
    return rng.choice(STORY_ASK) + " ".join(picked)


def add_chat(rng: random.Random, add: Add) -> None:
    """Unsafe conversational families next to their safe twins, in the same wrappers."""
    add({"harassment"}, 3000, lambda: _say(rng, ATTACK, a=ATTACK_ADJ, n=ATTACK_NOUN, d=DEMEAN, g=GO))
    add({"harassment"}, 1200, lambda: _say(rng, ABOUT, p=ABOUT_WHO, a=ATTACK_ADJ, n=ATTACK_NOUN, e=ABOUT_END))
    add(set(), 3000, lambda: _say(rng, DISAGREE, s=DIS_STANCE, r=DIS_REASON, f=DIS_FLAW, t=DIS_TOPIC))
    add(set(), 2000, lambda: _say(rng, CRITIC, w=CRITIC_WHO, c=CRITIC_WHAT))
    add(set(), 1000, lambda: _say(rng, SELF, x=SELF_X))
    add({"hate"}, 3000, lambda: _say(rng, HATE, g=HATE_GROUP, s=HATE_SAY, d=HATE_DO))
    add({"hate"}, 2000, lambda: _say(rng, HATE2, g=HATE_GROUP, a=HATE_ADJ, b=HATE_BEAST, s=HATE_SAY, c=HATE_CONTROL, d=HATE_DO))
    add(set(), 3000, lambda: _say(rng, GROUP_OK, g=HATE_GROUP, x=GROUP_X))
    add(set(), 1000, lambda: _say(rng, GOV, w=GOV_WHO, c=GOV_WHAT))
    add({"violence", "harassment"}, 2000, lambda: _say(rng, THREAT, p=THREAT_PROVOKE, v=THREAT_VERB, w=THREAT_WHEN))
    add({"violence"}, 1500, lambda: _say(rng, WISH, t=WISH_WHO, f=WISH_FATE, i=WISH_INF))
    add({"violence"}, 800, lambda: _say(rng, GLORY, a=GLORY_WHO))
    add({"violence"}, 800, lambda: _say(rng, MASS, p=MASS_PLACE, w=THREAT_WHEN))
    add({"violence"}, 1000, lambda: _say(rng, RELISH, v=RELISH_VERB, r=RELISH_RESULT))
    add(set(), 1200, lambda: _say(rng, VIOLENCE_OK, e=VIOLENCE_EVENT))
    add(set(), 1200, lambda: _say(rng, SPORT, v=SPORT_VERB, p=SPORT_PAST, g=SPORT_GAME))
    add(set(), 1000, lambda: _say(rng, STORY, v=STORY_VERB, k=STORY_KIND, n=STORY_N))
    add(set(), 600, lambda: _say(rng, SAFETY, x=SAFETY_X))
    add({"self_harm"}, 1800, lambda: _say(rng, SH, a=SH_ACT, g=SH_ING, p=SH_PAST, p2=SH_PAST2, w=SH_WHEN, n=SH_N))
    add({"self_harm", "harassment"}, 800, lambda: _say(rng, URGE, a=URGE_ACT))
    add({"self_harm"}, 600, lambda: _say(rng, PRO, x=PRO_X, y=PRO_Y))
    add({"self_harm"}, 800, lambda: _say(rng, METHOD, d=METHOD_DRUG, m=METHOD_WAY, m2=METHOD_WAY, a=METHOD_ACT))
    add(set(), 1200, lambda: _say(rng, SUPPORT, h=SUPPORT_HELP))
    add(set(), 600, lambda: _say(rng, RECOVER, t=RECOVER_TIME))
    add(set(), 800, lambda: _say(rng, ASK_HELP, x=ASK_X))
    add(set(), 800, lambda: _say(rng, IDIOM, t=IDIOM_T))
    add({"sexual"}, 2200, lambda: _say(rng, SEX, a=SEX_ACT, b=SEX_BODY))
    add({"sexual"}, 1500, lambda: _story(rng, EROTIC))
    add(set(), 1500, lambda: _story(rng, TENDER))
    add(set(), 1500, lambda: _say(rng, SEX_ED, x=SEX_ED_X, c=SEX_ED_C, w=SEX_ED_W, s=SEX_ED_S))
    add(set(), 1000, lambda: _say(rng, ROMANCE, s=ROMANCE_S, x=ROMANCE_X))
    add({"sexual", "minors"}, 700, lambda: _say(rng, MINOR, m=MINOR_WHO))
    add(set(), 1200, lambda: _say(rng, CHILD_OK, m=CHILD_WHO))
    add(set(), 1000, lambda: _say(rng, SWEAR, x=SWEAR_X, y=SWEAR_Y))
