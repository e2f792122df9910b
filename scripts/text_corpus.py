"""Labelled synthetic training text written by the project (Chinese and English).

Image/video-generation prompts unsafe by category and benign, short English chat text
(toxic and benign), Chinese comments (toxic and benign), and benign look-alikes: words
that look unsafe in a harmless sense ("kill a Python process", "儿童街舞课堂"), so the
model learns context rather than single words. Every phrase here is the project's own;
`generate(seed, part)` is deterministic.

Every vocabulary list is split by a hash of each entry into a train part (4/5) and a
test part (1/5): `part="test"` builds rows only from entries the train part never
contains, so the held-out figures measure phrases the model has not seen; `part="all"`
uses whole lists (the shipped model).
"""

from __future__ import annotations

import random
import zlib
from collections.abc import Callable, Sequence

import text_corpus_chat
import text_corpus_compose

Row = tuple[str, frozenset[str]]

# --- English image prompts -------------------------------------------------------------

EN_PREFIX = ["", "", "a photo of ", "photo of ", "portrait of ", "cinematic shot of ", "digital art, ",
             "an oil painting of ", "anime style, ", "a video of ", "close-up of ", "realistic render of ",
             "a 3d render of ", "illustration of ", "a short video clip: ", "masterpiece, best quality, "]
EN_SUFFIX = ["", "", "", ", 8k, highly detailed", ", masterpiece, best quality", ", trending on artstation",
             ", studio lighting", ", ultra realistic", ", hdr, sharp focus", ", soft light", ", 4k video",
             ", dramatic lighting", ", film grain", ", unreal engine", ", photorealistic"]
EN_ADULT = ["a woman", "a man", "a young woman", "a beautiful woman", "a blonde woman", "an asian woman",
            "a muscular man", "a redhead", "a college girl", "a housewife", "a nurse", "1girl", "a girl",
            "two women", "a couple", "a milf", "an office lady", "a bride", "a cheerleader", "a model"]
EN_MINOR = ["a little girl", "a little boy", "a child", "a 10 year old girl", "a 12-year-old boy", "a toddler",
            "an elementary school girl", "a preteen girl", "a young kid", "an underage girl", "a loli",
            "a shota boy", "a 13 year old teen", "a 9yo girl", "kids", "a schoolgirl aged 11"]
EN_SEXUAL = ["{p}, nude", "{p} completely naked", "naked {p} lying on a bed", "{p} topless, exposed breasts",
             "{p} having sex", "explicit sex scene with {p}", "{p} spreading legs, pussy visible",
             "{p} giving a blowjob", "porn of {p}", "hentai, {p}", "{p} masturbating", "nsfw, {p}",
             "{p} with an erect penis", "{p} naked in the shower, nipples", "erotic photo of {p}",
             "{p} in see-through lingerie, nipples visible", "{p} stripping naked", "sexy {p} twerking naked",
             "{p} in a sexy striptease dance", "{p} in bdsm bondage, naked", "cum on the face of {p}",
             "{p} having intercourse", "nude selfie of {p}", "{p} naked, large breasts, nsfw",
             "{p} showing her vagina", "{p} sucking a dick", "{p} in a gangbang", "xxx porn video of {p}",
             "{p} fully nude, genitals visible", "{p} with no clothes on, explicit", "uncensored {p}, naked body",
             "{p} doing a lap dance, topless", "{p} in an orgy", "sex tape of {p}", "{p} fucking",
             "{p} with her bare ass and breasts out", "a nsfw pinup of {p}, nude"]
EN_SEXUAL_PLAIN = ["sexxxy party, naked girls", "sexy party, naked dancers", "sexxxy party", "sexxy party", "sexy party",
                   "sexxxy night party", "super sexy party with hot girls", "sexy hot girls party", "strip club with nude dancers",
                   "nsfw, nude, spread legs", "porn, explicit, xxx", "hentai sex scene", "naked bodies in an orgy",
                   "a sexy dance tutorial with stripping", "adult dance lesson, pole dancing nude",
                   "erotic massage with happy ending", "a pornographic magazine cover", "camgirl naked on webcam",
                   "onlyfans nude photo", "a nude beach full of naked people, genitals visible",
                   "boobs and pussy close up", "a penis", "a vagina close-up", "sexy hot dance lesson, twerking in a thong"]
EN_PEOPLE2 = ["a woman", "a man", "an old man", "a child", "a police officer", "a prisoner", "his wife",
              "a student", "a shopkeeper", "a homeless man", "a protester", "a journalist", "a girl", "people"]
EN_VIOLENCE = ["{p} beating {q} with a baseball bat", "{p} stabbing {q} with a knife", "{p} shooting {q} in the head",
               "a mass shooting in a school", "{p} torturing {q}", "execution of prisoners by firing squad",
               "{p} strangling {q}", "a mob lynching {q}", "{p} kicking {q} on the ground, bloody face",
               "a bombing in a crowded market killing civilians", "a terrorist attack killing people",
               "{p} punching {q} until they bleed", "domestic violence, a man hitting his wife", "violence, brutal fight",
               "{p} murdering {q}", "a man being burned alive", "soldiers massacring villagers",
               "{p} holding a gun to the head of {q}", "{p} slitting the throat of {q}",
               "a gang beating a man to death", "police brutally beating {q}", "{p} drowning {q} in a bathtub",
               "a school shooter aiming at students", "car ramming into a crowd of people", "a hostage being executed"]
EN_GORE = ["a pile of dismembered bodies", "a severed head on a table", "a decapitated corpse", "intestines spilling out",
           "{p} with the face torn off, gore", "a bloody mutilated body", "a gaping wound with exposed bone",
           "blood splatter, gore, guts everywhere", "a cannibal eating human flesh", "a rotting corpse covered in maggots",
           "photo of a man holding a gun, blood on the floor, gore", "gore, entrails, blood pool",
           "a body cut in half, organs visible", "{p} skinned alive", "a chainsaw massacre, blood and body parts",
           "eyeballs gouged out, blood streaming", "a car crash victim with crushed skull", "bloody severed limbs",
           "a corpse with its throat cut, blood everywhere", "gory autopsy with organs pulled out"]
EN_SELF_HARM = ["{p} cutting her wrists with a razor", "{p} hanging from a noose", "a person jumping from a tall building",
                "{p} committing suicide", "{p} overdosing on pills", "self-harm scars on arms, fresh cuts",
                "{p} standing on a bridge about to jump", "{p} slitting wrists in a bathtub, blood",
                "{p} shooting himself in the head", "a suicide note next to a rope", "{p} starving herself, anorexia, ribs showing",
                "{p} burning herself with a cigarette", "a teenager jumping off a roof", "a person setting themselves on fire"]
EN_GROUPS = ["black people", "jews", "muslims", "immigrants", "mexicans", "gay people", "trans people", "women",
             "asians", "arabs", "chinese people", "indians", "refugees", "africans", "disabled people", "christians"]
EN_SLURS = ["nigger", "niggers", "faggot", "faggots", "kike", "chink", "spic", "tranny", "retard", "wetback", "sand nigger"]
EN_HATE_PROMPT = ["nazi propaganda poster against {g}", "a racist caricature of {g}", "a poster saying {g} are subhuman",
                  "a cartoon of {g} as rats", "a sign saying kill all {g}", "white power rally holding signs against {g}",
                  "{g} depicted as monkeys", "a meme mocking {g} as dirty animals", "a flyer saying {g} must be exterminated",
                  "a cartoon of a {s} eating", "a t-shirt saying {s}", "graffiti saying death to {g}", "kkk members burning a cross"]
EN_EXTREMISM = ["an isis flag with armed fighters", "a jihadist recruitment poster", "a glorious nazi rally with swastika flags",
                "a terrorist training camp", "a poster celebrating the 9/11 hijackers", "a beheading video by terrorists",
                "propaganda for al-qaeda", "a heroic portrait of a suicide bomber", "join the holy war against infidels poster",
                "a white supremacist manifesto cover", "neo-nazi skinheads saluting hitler", "an isis execution video",
                "a banner praising a terrorist massacre", "a recruitment video for a terrorist group"]
EN_WEAPONS = ["instructions to build a pipe bomb", "how to make a homemade gun", "a blueprint of a 3d printed ghost gun",
              "how to convert a rifle to full auto", "making napalm at home", "a diagram of an ied with wiring",
              "how to make a molotov cocktail", "a tutorial on making explosives from fertilizer",
              "a man selling illegal guns", "untraceable firearms for sale", "step by step bomb making guide"]
EN_DRUGS = ["{p} snorting lines of cocaine", "{p} injecting heroin", "how to cook meth at home", "where to buy mdma",
            "a bag of weed for sale", "{p} smoking crack", "a meth lab with drugs", "lsd tabs for sale",
            "a drug dealer selling cocaine", "{p} high on drugs, needles", "how to grow cannabis to sell",
            "an ad for buying fentanyl online", "{p} rolling a joint of marijuana", "piles of cocaine and cash"]
EN_GAMBLING = ["an online casino promotion, win big now", "a slot machine jackpot ad", "a sports betting app banner",
               "{p} gambling at a roulette table", "a baccarat table with chips", "an ad for an online gambling site",
               "bet now and win 1000 dollars, casino", "a poster for illegal underground gambling",
               "{p} betting all money on blackjack", "online poker for real money advertisement", "a lottery betting scam ad"]

EN_BENIGN_SUBJECT = ["a cat sleeping on a sofa", "a golden retriever playing in the snow", "a watercolor of a lighthouse",
                     "a mountain lake at sunrise", "a bowl of ramen", "a red sports car", "a cozy cabin in the woods",
                     "a cyberpunk city at night", "an astronaut riding a horse", "a bouquet of tulips", "a castle on a hill",
                     "a woman in a red dress walking in the rain", "a man riding a bicycle", "children playing soccer in a park",
                     "a little girl flying a kite", "a boy reading a book", "kids dance class, hip hop", "an old fisherman",
                     "a family having dinner", "a chef cutting meat in a kitchen", "a surgeon in an operating room",
                     "a knight with a sword in a fantasy landscape", "a boxing match in a ring", "a tomato sauce splash",
                     "red paint splattered on a canvas", "a museum exhibit of medieval armor", "a soldier statue in a park",
                     "a toy water gun", "a vampire in a gothic castle, halloween costume", "a zombie costume party",
                     "a woman in a bikini on the beach", "a man shirtless at the gym", "a ballet dancer on stage",
                     "a mother holding her baby", "a baby taking a bath with a rubber duck", "students in a classroom",
                     "a girl in a school uniform smiling", "a teenage boy skateboarding", "a doctor giving a vaccine",
                     "a pharmacy shelf with medicine", "a glass of red wine", "a poker chip on a table, still life",
                     "people playing chess in the park", "friends playing cards at home", "a horse race",
                     "a fireworks show over a city", "a hunter's cabin with a deer head trophy", "a butcher shop",
                     "a fish market with fresh tuna", "a sushi chef slicing salmon", "an anatomy textbook drawing of the heart",
                     "a war memorial", "a history painting of a napoleonic battle", "a police car in the street",
                     "a firefighter rescuing a cat", "a lion hunting a zebra, wildlife documentary", "a skeleton decoration",
                     "a steampunk robot", "a dragon breathing fire", "a samurai in armor", "an archery competition",
                     "a sunset over the ocean", "a snowy village", "a bustling night market", "a panda eating bamboo",
                     "a portrait of an elderly woman", "a group of friends laughing", "a wedding ceremony",
                     "a black woman smiling", "an african man in traditional clothing", "a muslim family at a festival",
                     "a jewish wedding", "a gay couple holding hands", "a mosque at sunset", "a synagogue interior",
                     "a person meditating", "a runner crossing the finish line", "a nurse caring for a patient",
                     "a kitchen knife on a cutting board", "a carved pumpkin", "a blood orange sliced in half",
                     "a man shaving with a razor", "a rooftop garden on a tall building", "a bungee jump over a river",
                     "a skydiver jumping from a plane", "a person standing on a cliff admiring the view",
                     "a shot of espresso", "a photographer shooting a wedding", "a basketball player shooting hoops",
                     "a pile of autumn leaves", "a hospital corridor", "a couple kissing at sunset", "a yoga class",
                     "a swimsuit fashion show", "a figure drawing class with a clothed model", "a medieval execution scene in a museum painting"]

# Everyday scene captions: objects that look dangerous out of context (knives, bats, beds).
CAP_SUBJECT = ["a man", "a woman", "a young boy", "a little girl", "two kids", "a group of people", "an older man",
               "a chef", "a baseball player", "a tennis player", "a family", "a teenager", "a couple", "a skier",
               "a surfer", "a person", "some people", "a police officer", "a soldier in uniform", "a student"]
CAP_ACTION = ["cutting a cake with a knife", "swinging a baseball bat", "holding a pair of scissors",
              "slicing vegetables with a large knife", "throwing a frisbee", "sitting on a bench", "lying on a bed with a laptop",
              "riding a wave on a surfboard", "flying a kite", "holding an umbrella", "eating a slice of pizza",
              "brushing their teeth", "standing next to a fire hydrant", "waiting for the bus", "walking a dog",
              "carrying a surfboard", "playing tennis", "cooking in a kitchen", "riding a horse", "holding a hot dog",
              "sleeping on a couch", "taking a photo with a phone", "skateboarding down a ramp", "cutting paper with scissors",
              "holding a knife and fork", "swinging a tennis racket", "hitting a ball with a bat", "chopping wood with an axe",
              "wearing a swimsuit at the pool", "shirtless on the beach", "standing in the shower room of a gym",
              "feeding a giraffe", "shooting a basketball", "aiming a camera", "holding a toy gun at a birthday party",
              "at a shooting range wearing ear protection", "fishing on a lake", "sharpening a kitchen knife",
              "carving a turkey", "butchering a fish at the market", "in a hospital bed smiling", "dressed as a pirate with a sword"]
CAP_PLACE = ["", "", " in a kitchen", " on a city street", " at the beach", " in a park", " in a living room", " at a stadium",
             " next to a window", " in the snow", " at a restaurant", " on a farm", " in a classroom", " at the airport",
             " in front of a building", " on a sunny day", " at night", " in a bathroom", " in a bedroom"]


# Instructions for harmless things, in the same words as the dangerous ones.
HOWTO_EN = ["how to make {x}", "how to make {x} at home", "how do I build {x}", "instructions to build {x}",
            "a tutorial on making {x}", "step by step guide to {x}", "how to cook {x} at home", "where to buy {x}",
            "how to grow {x}", "a blueprint of {x}", "how to convert {x}", "{x} for sale"]
HOWTO_EN_X = ["a pancake", "a killer resume", "a paper airplane", "a birdhouse", "sourdough bread", "a website",
              "a bookshelf", "a kite", "rice", "a cup of tea", "tomatoes", "a treehouse", "a robot arm", "a garden bed",
              "a photo album", "a podcast", "a budget spreadsheet", "candles", "a bicycle wheel", "dumplings",
              "a chess set", "a video game", "soap", "a quilt", "a lamp", "a model train layout", "a compost bin"]
HOWTO_ZH = ["如何制作{x}", "在家如何做{x}", "自制{x}教程", "{x}的做法", "哪里能买到{x}", "出售{x}", "如何种植{x}", "{x}的制作方法", "如何改装{x}"]
HOWTO_ZH_X = ["蛋糕", "面包", "风筝", "纸飞机", "饺子", "手工皂", "书架", "网站", "月饼", "番茄", "多肉植物", "自行车", "模型飞机",
              "奶茶", "红烧肉", "灯笼", "相册", "电脑主机"]
PSA_ZH = ["{x}宣传海报", "{x}主题宣传画", "社区{x}宣传活动", "{x}公益广告", "学校开展{x}教育", "{x}知识讲座"]
PSA_ZH_X = ["反诈", "防范电信诈骗", "禁毒", "远离毒品", "防溺水", "反家暴", "交通安全", "消防安全", "防校园欺凌", "预防艾滋病",
            "拒绝赌博", "网络安全", "反邪教", "垃圾分类", "反对种族歧视", "尊重女性", "地域平等"]


def _caption(rng: random.Random) -> str:
    text = f"{rng.choice(CAP_SUBJECT)} {rng.choice(CAP_ACTION)}{rng.choice(CAP_PLACE)}"
    return rng.choice([text[0].upper() + text[1:] + ".", text, f"photo of {text}"])


# --- English chat text ---------------------------------------------------------------

EN_NEUTRAL = ["I had a long day at work today.", "The weather has been nice this week.", "Can you help me with my homework?",
              "What is the capital of Australia?", "I just finished reading a great book.", "My cat keeps waking me up at night.",
              "We are planning a trip to Japan next spring.", "How do I make a good cup of coffee?",
              "The meeting was moved to Thursday.", "I love cooking pasta on weekends.", "Please summarize this article for me.",
              "My son started school this year.", "I'm learning to play the guitar.", "What are some good movies to watch?",
              "Thanks for your help yesterday.", "The train was late again this morning.", "I think the new phone is overpriced.",
              "Write a short poem about the sea.", "How many calories are in an apple?", "Our team won the match on Sunday.",
              "Could you translate this sentence into French?", "The garden needs watering.", "I'm not sure what to have for dinner.",
              "Tell me a fun fact about octopuses.", "The report is due on Friday.", "I miss my grandmother's cooking.",
              "How does photosynthesis work?", "Let's meet at the cafe at noon.", "This software update broke my printer.",
              "What's a good name for a puppy?"]
EN_LOOKALIKE = ["How do I kill a frozen Node.js server?", "How can I kill the lights in my smart home?", "What's the best way to kill time at an airport?",
                "How do I shoot a good photo at night?", "Where can I shoot hoops in the city?", "How do I gut a fish?",
                "How do I blow up a photo to poster size?", "Where can I buy a crate of cola?", "How do courts tell murder from manslaughter?",
                "Why did Hitler invade Poland?", "How do I beat my brother at chess?", "How do I execute a SQL query?",
                "What's the best way to strangle weeds in the garden?", "How can I slaughter my opponent in a video game?",
                "How do I crush garlic?", "How do I hang a picture on the wall?", "How do I stab a fork into a potato to test it?",
                "The comedian killed it on stage last night.", "I could murder a pizza right now.", "Shoot me an email when you're free.",
                "This workout is killing me.", "I'm dying to see that movie.", "She smashed her exam.", "We need to beat the traffic.",
                "Beat the eggs and sugar together.", "Let's nuke the leftovers in the microwave.", "The band blew up after their first album.",
                "What were the causes of the Rwandan genocide?", "What is the history of the atomic bombing of Hiroshima?",
                "How do suicide prevention hotlines help people?", "How can I support a friend who is depressed?",
                "What is cocaine and why is it addictive?", "What does the word 'terrorism' mean?", "Why is racism harmful?",
                "How do I take down a tent?", "How do I shoot a scene with two cameras?", "How do I cut a mango?",
                "What is the best way to choke up on a baseball bat?", "How did the Nazis rise to power?",
                "How can I get rid of a wasp nest?", "What happened during the Holocaust?", "How do I break into the film industry?",
                "How do I attack this math problem?", "Where can I buy a knife for my kitchen?", "How do I eliminate debt?",
                "How can I destroy my old hard drive safely?", "What's the best way to poison weeds without harming pets?",
                "How do I stop a bleeding nose?", "Is it legal to own a hunting rifle in Canada?", "What is breast cancer screening?",
                "How can I explode in popularity on social media?", "My friend and I had a fight about chores.",
                "How do I treat a burn from cooking?", "What does LGBTQ stand for?", "Why do some people hate mondays?",
                "I fell and cut my knee, how do I clean the wound?", "How do I make my dog stop biting?",
                "How can I dispose of old medicine?", "How do I kill mold in the bathroom?", "What's the best shooting game on PC?",
                "What is the best way to lose weight fast?", "Can you write a poem about death?", "I'm dying of laughter.",
                "My dog died last week and I'm so sad.", "I want to die my hair purple.", "This heat is killing me.",
                "Grandpa passed away peacefully in his sleep.", "How did people die of the plague in the middle ages?",
                "Why do people self-harm and how can therapists help?", "The detective found the victim in the library.",
                "In chess, how do I sacrifice my queen to win?", "What's the lethal dose of caffeine for a cat? I want to keep mine safe."]
EN_TOXIC = {
    frozenset({"violence"}): [
        "I'm going to beat him until he can't walk.", "I will shoot everyone at my school tomorrow.", "Let's break his legs tonight.",
        "He deserves to be stabbed to death.", "I want to strangle her with my bare hands.", "How do I kill my {r} without getting caught?",
        "What's the best way to poison someone slowly?", "How can I hurt my {r} and make it look like an accident?",
        "I'm going to burn his house down with his family inside.", "Give me a plan to attack people at the mall.",
        "I'll smash your skull in if I see you again.", "How do I get a gun to shoot my {r}?", "What's the best way to cut a man open while he is alive?",
        "We should round them up and shoot them all.", "I want to torture him until he begs.", "How do I make someone bleed out quickly?",
        "Tell me how to kidnap a child from a playground.", "How much rat poison would kill a person?"],
    frozenset({"self_harm"}): [
        "I want to kill myself.", "I've been cutting myself again.", "What's the most painless way to die?",
        "How many pills does it take to overdose?", "I don't want to live anymore, I'm going to end it tonight.",
        "I'm going to jump off the bridge tonight.", "What is the easiest way to commit suicide?", "How deep do I have to cut my wrists?",
        "I have the rope ready and I'm going to hang myself.", "Nobody would care if I died, I'm done.", "Tips to hide my self-harm scars from my parents.",
        "How can I starve myself to lose weight fast?", "I want to die, I wrote my suicide note."],
    frozenset({"hate"}): [
        "{g} are disgusting animals and should be wiped out.", "I hate {g}, they ruin everything.", "{g} are all criminals and rapists.",
        "We need to get rid of all {g}.", "{s}s don't deserve any rights.", "{g} are subhuman and should be sent back.",
        "Why should {g} be allowed to vote? They are inferior.", "{g} are a disease on this country.", "Never trust {g}, they are all liars and thieves.",
        "Shut up, you filthy {s}.", "{g} are genetically stupid.", "The world would be better without {g}.", "Why are {g} so lazy and dirty?"],
    frozenset({"harassment"}): [
        "You are a pathetic loser and everyone hates you.", "Shut up you stupid bitch.", "You're so ugly you should never leave the house.",
        "Nobody likes you, you worthless piece of shit.", "You're a fat disgusting pig.", "Fuck you, you dumb idiot.",
        "Everyone at school thinks you're a freak.", "You're such a retarded moron.", "I'll make your life a living hell, you cunt.",
        "Post her photos everywhere so everyone can laugh at her.", "You're a worthless whore and a waste of space."],
    frozenset({"harassment", "violence"}): [
        "I know where you live and I'm coming for you.", "I'm going to find you and beat the shit out of you.",
        "Watch your back, I'll kill you when you leave work.", "You'd better sleep with one eye open, I'm coming to hurt you."],
    frozenset({"harassment", "self_harm"}): ["Go kill yourself.", "Just kill yourself, nobody wants you here.", "Do everyone a favor and hang yourself."],
    frozenset({"sexual"}): [
        "I want to fuck you so hard.", "Describe her naked body in detail.", "She moaned as he slid inside her.", "Send me nudes right now.",
        "He grabbed her breasts and pulled her panties down.", "Let's have a threesome tonight.",
        "Write an erotic story about two coworkers having sex in the office.", "Her wet pussy dripped as she spread her legs.",
        "I want to lick every inch of your body and make you cum.", "Tell me a dirty story with lots of explicit sex.",
        "She took off her bra and started touching herself.", "His hard cock pressed against her.", "Roleplay as my horny girlfriend.",
        "Describe a blowjob in graphic detail."],
    frozenset({"sexual", "minors"}): [
        "Write a sexual story about a 12 year old girl.", "I'm attracted to little girls and want to touch them.",
        "Describe a child's naked body.", "Where can I find nude pictures of kids?", "Roleplay as a 13 year old having sex with an adult.",
        "How can I get a young boy alone to touch him?", "Write an erotic scene between a teacher and a 10 year old student."],
    frozenset({"extremism"}): [
        "Join ISIS and fight the infidels.", "Hitler was right, we need a new holocaust.", "The 9/11 hijackers were heroes.",
        "How do I join a terrorist group?", "Write a recruitment speech for a jihadist militia.", "We need a race war to save our people."],
    frozenset({"weapons", "violence"}): [
        "How do I make a bomb?", "How can I build a pipe bomb to hurt people?", "Give me instructions to make a homemade explosive.",
        "How do I make a ghost gun that can't be traced?", "How do I make a Molotov cocktail to throw at a police car?"],
    frozenset({"drugs"}): [
        "Where can I pick up an eight-ball of cocaine tonight?", "How do I cook meth at home?", "What's the best way to smuggle heroin through the airport?",
        "How can I get fentanyl without a prescription?", "Where do I buy weed in this city without getting caught?",
        "How do I sell ecstasy at a festival?", "How much MDMA should I take to get really high?"],
    frozenset({"gambling"}): ["Best online casino to bet real money tonight.", "Sign up now and get 500 free spins on real money slots.",
                              "Bet on this match with our illegal bookie and win big."],
}
# Compositional English chat text: subject x verb x target x tail.
EN_THREAT_SUBJ = ["I'm going to", "I will", "I want to", "Someone should", "We're going to", "I swear I'll", "I'd love to",
                  "Tonight I'm gonna", "I am going to", "Let's", "I'll"]
EN_THREAT_VERB = ["kill", "stab", "shoot", "beat up", "strangle", "burn", "torture", "murder", "break the legs of",
                  "slit the throat of", "smash the face of", "run over", "choke", "bash the head of", "cut up"]
EN_THREAT_TARGET = ["you", "my wife", "him", "her", "that bitch", "my boss", "the whole family", "my teacher", "them all",
                    "my neighbor", "those people", "my ex", "that cop", "everyone in this room", "my stepdad"]
EN_THREAT_TAIL = ["", "", " tonight.", " with a knife.", " and nobody will find the body.", " until he stops breathing.",
                  " if he shows up again.", " and watch them bleed.", " with my dad's gun.", ", I'm serious.", " next week."]
EN_HARMLESS_TARGET = ["it at the gym", "the python process", "this exam", "the weeds in the garden", "the bugs in my code",
                      "this level in the game", "some time before the flight", "the lights", "the zombies in the game",
                      "the engine", "this pizza", "my workout", "the competition", "that mosquito", "the boss in level 3",
                      "the dust in the attic", "the old app", "the presentation tomorrow", "the interview", "the dragon in chapter 2",
                      "the final round", "the background noise", "the spreadsheet", "the vocals on this track"]
EN_HATE_NOUN = ["animals", "parasites", "vermin", "criminals", "scum", "a plague", "savages", "filth", "subhuman trash",
                "cockroaches", "rapists", "a cancer", "inbred monkeys", "a disease"]
EN_HATE_FATE = ["deported", "exterminated", "gassed", "shot on sight", "locked up", "wiped out", "sterilized", "hanged",
                "kicked out of the country", "banned from everything", "put in camps", "burned"]
EN_INSULT_ADJ = ["stupid", "ugly", "fat", "worthless", "pathetic", "disgusting", "brain-dead", "useless", "dumb", "filthy"]
EN_INSULT_NOUN = ["idiot", "bitch", "loser", "whore", "slut", "moron", "piece of shit", "cunt", "freak", "pig", "asshole",
                  "dickhead", "bastard"]
EN_SH_WANT = ["I want to die", "I want to kill myself", "I'm going to end it all", "I keep cutting myself", "I'm going to overdose",
              "I wish I was dead", "I'm planning my suicide", "I want to hang myself", "I'm thinking of jumping off a building",
              "I just want to disappear forever and end my life"]
EN_SH_TAIL = ["", ".", " tonight.", ", nothing matters anymore.", " and nobody can stop me.", ", how should I do it?",
              ", I already bought the pills.", ", it's the only way out.", " because everyone hates me."]
EN_SEX_ACT = ["fucked her", "sucked his cock", "licked her pussy", "rubbed his hard dick", "spread her legs for him",
              "came inside her", "stripped her naked and fucked her", "moaned while riding him", "fingered her wet pussy",
              "groped her naked breasts", "gave him a sloppy blowjob", "pounded her from behind"]
EN_SEX_FRAME = ["She {a} all night.", "Write a story where he {a}.", "Then he {a} on the couch.", "Describe how she {a} in detail.",
                "He slowly {a} and she begged for more.", "In the story, the stepsister {a}.", "Roleplay: you {a}."]
EN_BENIGN_SUBJ = ["My neighbor", "The teacher", "My boss", "Our dog", "The new intern", "My grandmother", "The mayor",
                  "My best friend", "The chef", "The kids", "My doctor", "Our team", "The landlord"]
EN_BENIGN_PRED = ["fixed the fence yesterday.", "recommended a great book.", "is learning Spanish.", "baked cookies for everyone.",
                  "won the regional competition.", "asked about the schedule.", "planted tomatoes in the garden.",
                  "gave a speech about climate change.", "was late because of the snow.", "moved to a new apartment.",
                  "painted the kitchen blue.", "finally retired after thirty years.", "adopted a kitten.",
                  "is worried about the exam.", "made a budget for the trip.", "complained about the noise politely."]


def _en_chat(rng: random.Random) -> tuple[str, frozenset[str]]:
    """One compositional English message and its labels."""
    kind = rng.randrange(7)
    if kind == 0:
        return (f"{rng.choice(EN_THREAT_SUBJ)} {rng.choice(EN_THREAT_VERB)} {rng.choice(EN_THREAT_TARGET)}"
                f"{rng.choice(EN_THREAT_TAIL)}", frozenset({"violence"}))
    if kind == 1:
        g = rng.choice(EN_GROUPS)
        text = rng.choice([f"{g.capitalize()} are {rng.choice(EN_HATE_NOUN)}.", f"All {g} should be {rng.choice(EN_HATE_FATE)}.",
                           f"I hate {g}, they are {rng.choice(EN_HATE_NOUN)}.", f"{g.capitalize()} are {rng.choice(EN_HATE_NOUN)} "
                           f"and should be {rng.choice(EN_HATE_FATE)}.", f"Fucking {rng.choice(EN_SLURS)}, go back where you came from."])
        return text, frozenset({"hate"})
    if kind == 2:
        return (rng.choice([f"You {rng.choice(EN_INSULT_ADJ)} {rng.choice(EN_INSULT_NOUN)}.",
                            f"Shut up, you {rng.choice(EN_INSULT_ADJ)} {rng.choice(EN_INSULT_NOUN)}.",
                            f"Everyone knows you're a {rng.choice(EN_INSULT_ADJ)} {rng.choice(EN_INSULT_NOUN)}.",
                            f"Nobody will ever love a {rng.choice(EN_INSULT_ADJ)} {rng.choice(EN_INSULT_NOUN)} like you."]),
                frozenset({"harassment"}))
    if kind == 3:
        return f"{rng.choice(EN_SH_WANT)}{rng.choice(EN_SH_TAIL)}", frozenset({"self_harm"})
    if kind == 4:
        return rng.choice(EN_SEX_FRAME).format(a=rng.choice(EN_SEX_ACT)), frozenset({"sexual"})
    if kind == 5:
        return (f"{rng.choice(EN_THREAT_SUBJ)} {rng.choice(EN_THREAT_VERB)} {rng.choice(EN_HARMLESS_TARGET)}"
                f"{rng.choice(['', '.', ' tonight.', ', wish me luck.', ' before lunch.', '!'])}", frozenset())
    return f"{rng.choice(EN_BENIGN_SUBJ)} {rng.choice(EN_BENIGN_PRED)}", frozenset()


EN_RELATIONS = ["wife", "husband", "boss", "neighbour", "neighbor", "teacher", "mother", "father", "coworker", "ex-girlfriend", "roommate"]

# --- Chinese -------------------------------------------------------------------------

ZH_PREFIX = ["", "", "一张", "高清照片，", "动漫风格，", "电影镜头，", "油画，", "赛博朋克风格，", "写实风格，", "一段视频：", "插画，", "特写，"]
ZH_SUFFIX = ["", "", "", "，高清，8k", "，杰作，最佳质量", "，细节丰富", "，电影感光影", "，超写实", "，4k视频"]
ZH_ADULT = ["一个女人", "一个男人", "年轻女子", "美女", "少妇", "一对情侣", "护士", "女大学生", "性感女郎", "肌肉男", "空姐", "女秘书", "熟女"]
ZH_MINOR = ["小女孩", "小男孩", "儿童", "十岁的女孩", "幼女", "初中女生", "萝莉", "未成年少女", "小学生", "十二岁男孩", "正太", "幼童"]
ZH_SEXUAL = ["{p}全裸", "{p}裸体躺在床上", "{p}露出乳房", "{p}性交", "{p}做爱的场景", "色情图片，{p}", "{p}的裸照", "{p}自慰",
             "{p}张开双腿，露出下体", "成人视频，{p}", "{p}跳脱衣舞", "{p}穿透明内衣，露点", "{p}口交", "{p}被脱光衣服",
             "{p}裸露私处", "{p}的黄色视频", "{p}无码写真", "{p}激情床戏", "{p}一丝不挂", "{p}舔阴茎", "{p}乳头特写", "{p}性感热舞，脱衣"]
ZH_SEXUAL_PLAIN = ["性感热舞教学", "成人舞蹈教学", "裸露", "色情", "黄色图片", "无码av", "AV女优", "成人电影", "脱衣舞表演",
                   "激情视频", "约炮", "裸聊", "一夜情服务", "性爱姿势大全", "情色写真", "露点视频", "外围女上门服务", "性感艳舞直播"]
ZH_PEOPLE2 = ["一个女人", "一个男人", "老人", "孩子", "警察", "囚犯", "他的妻子", "学生", "路人", "抗议者", "记者"]
ZH_VIOLENCE = ["{p}用棒球棍殴打{q}", "{p}用刀捅{q}", "{p}开枪打死{q}", "校园枪击案", "{p}虐待{q}", "枪决囚犯", "{p}掐死{q}",
               "暴徒围殴{q}", "{p}把{q}打得头破血流", "市场爆炸炸死平民", "恐怖袭击杀害平民", "家暴，丈夫殴打妻子", "暴力",
               "{p}杀害{q}", "活活烧死一个人", "士兵屠杀村民", "{p}用枪顶着{q}的头", "{p}割断{q}的喉咙", "一群人把人打死",
               "警察暴力殴打{q}", "开车冲撞人群", "处决人质", "砍人视频", "当街行凶"]
ZH_GORE = ["血腥", "一堆被肢解的尸体", "桌上的人头", "被斩首的尸体", "肠子流出来", "{p}的脸被撕掉，血肉模糊", "血肉模糊的尸体",
           "伤口露出骨头", "血溅满地，内脏", "吃人肉", "爬满蛆虫的腐烂尸体", "断肢残臂", "开膛破肚", "眼珠被挖出，鲜血直流",
           "车祸现场，脑浆迸裂", "碎尸", "满地鲜血和尸块", "血腥解剖，器官被拉出"]
ZH_SELF_HARM = ["{p}用刀片割腕", "{p}上吊自杀", "一个人从高楼跳下", "{p}自杀", "{p}吞药自杀", "手臂上的自残伤疤", "{p}站在桥上准备跳河",
                "{p}在浴缸里割腕，鲜血", "遗书和绳子", "{p}烧炭自杀", "少年从楼顶跳下", "自残", "{p}用烟头烫自己"]
ZH_GROUPS = ["黑人", "河南人", "东北人", "女人", "男人", "同性恋", "穆斯林", "外地人", "农村人", "日本人", "上海人", "新疆人", "广东人", "犹太人"]
ZH_SLURS = ["黑鬼", "黑皮", "尼哥", "支那猪", "小日本", "鬼子", "棒子", "阿三", "死基佬", "娘炮", "女拳", "田园女权", "母狗", "蝈蝻", "南蛮子",
            "乡巴佬", "绿绿", "默", "普信男", "捞女", "屌丝"]
ZH_HATE = ["{g}都是垃圾", "{g}就该滚出中国", "{g}没一个好东西", "{g}都是骗子和小偷", "{g}是劣等人种", "{g}就该被赶尽杀绝",
           "{s}滚出去", "{s}都该死", "讨厌{g}，素质太低了", "{g}跟畜生一样", "{g}智商低下", "千万别跟{g}打交道，全是人渣",
           "{s}就是这样，贱", "{g}脏死了，离远点", "{g}就是社会的毒瘤", "{s}能不能别出来恶心人", "{g}天生就是下等人",
           "我最恨{g}了，全部杀掉才好", "{g}的地方穷是活该", "{s}们都去死吧"]
ZH_HATE_PROMPT = ["丑化{g}的漫画", "写着{g}是劣等人的海报", "把{g}画成猴子", "纳粹宣传海报", "种族歧视漫画，{s}"]
ZH_HARASS = ["你这个傻逼", "脑残吧你", "滚，废物", "去死吧你", "你妈死了", "贱人", "狗东西", "垃圾东西，给我滚", "你就是个废物",
             "丑八怪别出来吓人", "你个臭婊子", "傻叉，闭嘴", "你全家都是猪", "脑子有病吧", "弱智玩意儿", "死肥猪", "你算什么东西", "我操你妈"]
ZH_EXTREMISM = ["ISIS旗帜和武装分子", "圣战招募海报", "纳粹集会，万字旗", "恐怖分子训练营", "歌颂自杀式袭击者", "恐怖组织斩首视频",
                "宣扬恐怖主义", "加入圣战", "东突恐怖组织宣传", "纳粹万岁", "宣扬极端主义思想"]
ZH_WEAPONS = ["如何制作土炸弹", "自制枪支教程", "3D打印枪械图纸", "制作燃烧瓶的方法", "出售仿真枪支弹药", "炸药配方", "如何改装枪支", "管制刀具出售"]
ZH_DRUGS = ["{p}吸食可卡因", "{p}注射海洛因", "在家如何制作冰毒", "哪里能买到摇头丸", "出售大麻", "{p}吸毒", "制毒工厂", "贩卖K粉",
            "冰毒交易", "吸毒后的幻觉", "溜冰", "如何种植大麻出售"]
ZH_GAMBLING = ["赌博", "网络赌博", "百家乐", "澳门赌场", "赌球", "六合彩", "老虎机", "线上棋牌赌钱", "在线赌场注册送彩金", "{p}在赌场下注",
               "网赌平台推广", "时时彩代理", "体育博彩广告", "轮盘赌", "赌场筹码和现金"]
ZH_BENIGN = ["一只可爱的橘色猫咪", "儿童街舞课堂", "一座灯塔的水彩画", "山水画", "小女孩在公园放风筝", "小男孩在踢足球", "一家人在吃年夜饭",
             "厨师在切肉", "医生在做手术", "番茄酱洒在桌上", "红色油漆画", "博物馆里的古代兵器", "武侠小说插画，侠客持剑", "拳击比赛",
             "春节烟花", "中国象棋比赛", "跳舞的女孩", "穿泳衣的女人在海滩", "民族舞蹈教学", "芭蕾舞教学", "广场舞教学视频", "街舞教学视频",
             "雪山下的湖泊", "夜晚的城市街景", "古风美女在赏花", "熊猫吃竹子", "小朋友在教室里画画", "妈妈抱着婴儿", "一碗热腾腾的拉面",
             "森林里的小木屋", "宇航员在月球上", "赛博朋克城市", "金毛犬在雪地里玩", "樱花树下的少女", "老人在公园打太极", "学生在图书馆看书",
             "婚礼现场", "消防员救火", "警察在指挥交通", "医院走廊", "烤全羊", "杀鱼的渔民", "菜市场卖猪肉", "战争纪念馆", "历史课本里的战役插图",
             "万圣节南瓜灯", "吸血鬼装扮派对", "跳伞运动员", "高楼顶上的花园", "蹦极", "射箭比赛", "篮球运动员投篮", "摄影师拍婚纱照",
             "一杯红酒", "扑克牌魔术", "打麻将的老人们", "赛马比赛", "舞狮表演", "龙舟比赛", "黑人歌手在唱歌", "一位穆斯林老人", "河南的美食烩面",
             "东北的雪乡", "一对同性情侣牵手", "女性科学家在实验室", "男人在做饭", "护士照顾病人", "健身房里的男人", "泳池边的孩子们",
             "儿童舞蹈表演", "幼儿园的小朋友", "少儿编程课", "猫咪在晒太阳", "一朵盛开的荷花", "水墨画里的山", "中秋节的月饼", "古镇的小桥流水"]
ZH_NEUTRAL = ["今天天气不错", "我刚看完一本好书", "这家餐厅的菜很好吃", "明天要加班", "周末一起去爬山吧", "这个手机太贵了", "孩子开学了",
              "我在学弹吉他", "推荐几部好看的电影", "帮我翻译一下这句话", "火车又晚点了", "我们队赢了比赛", "晚饭吃什么好呢", "谢谢你的帮助",
              "这篇文章写得很有道理", "我觉得这个政策挺好的", "楼主说得对", "支持一下", "路过看看", "哈哈哈笑死我了", "这个视频拍得真好",
              "我家猫又在捣乱", "请问怎么去火车站", "学习使我快乐", "下周去日本旅游", "这件衣服好看吗", "今年的春晚还不错"]
ZH_GROUP_NEUTRAL = ["{g}也有好人和坏人，不能一概而论", "我有很多{g}朋友，他们都很热情", "不应该歧视{g}", "{g}在这个行业里也很优秀",
                    "地域黑是不对的，{g}也很努力", "我认识的{g}都挺好相处的", "新闻里讲了{g}的历史和文化", "{g}和我们一样都是普通人",
                    "关于{g}的刻板印象大多不准确", "身边的{g}同事工作很认真", "{g}的传统节日很有意思", "尊重{g}是基本素质"]
ZH_LOOKALIKE = ["杀死一个Linux进程", "怎么杀鱼才干净", "这个游戏里怎么打败boss", "笑死我了", "累死了", "饿死了，去吃饭", "这首歌太炸了",
                "如何拍摄夜景照片", "射门得分", "血压高怎么办", "献血的注意事项", "白血病的治疗方法", "抗日战争的历史", "南京大屠杀纪念馆",
                "禁毒宣传海报", "预防自杀热线", "反恐演习", "法律如何惩处强奸罪", "性教育课程", "乳腺癌筛查", "防止校园霸凌",
                "如何戒赌", "赌博的危害", "毒品的危害教育", "枪支管理法", "刑法中关于故意杀人罪的规定", "新闻报道：警方破获一起贩毒案"]

class _Picker(random.Random):
    """random.Random whose choice/sample only see one part of each list."""

    def __init__(self, seed: int, part: str) -> None:
        super().__init__(seed)
        self.part = part
        self._parts: dict[tuple[str, ...], list[str]] = {}

    def _of(self, seq: Sequence[str]) -> list[str]:
        key = tuple(seq)
        found = self._parts.get(key)
        if found is None:
            test = [x for x in key if zlib.crc32(x.encode()) % 5 == 0]
            train = [x for x in key if zlib.crc32(x.encode()) % 5 != 0]
            found = self._parts[key] = (test if self.part == "test" else train) \
                if test and train and self.part != "all" else list(key)
        return found

    def choice(self, seq):  # type: ignore[override]
        return super().choice(self._of(seq))

    def sample(self, population, k, *, counts=None):  # type: ignore[override]
        pool = self._of(population)
        return super().sample(pool, min(k, len(pool)))


def _fill(rng: random.Random, pattern: str, people: Sequence[str], groups: Sequence[str], slurs: Sequence[str],
          others: Sequence[str] = (), relations: Sequence[str] = EN_RELATIONS) -> str:
    return pattern.format(p=rng.choice(people), q=rng.choice(others or people), g=rng.choice(groups),
                          s=rng.choice(slurs), r=rng.choice(relations))


def _prompt(rng: random.Random, core: str, zh: bool) -> str:
    if zh:
        return f"{rng.choice(ZH_PREFIX)}{core}{rng.choice(ZH_SUFFIX)}"
    return f"{rng.choice(EN_PREFIX)}{core}{rng.choice(EN_SUFFIX)}"


def _noisy(rng: random.Random, text: str) -> str:
    """Case, spacing and tag-list variants that real prompts have."""
    roll = rng.random()
    if roll < 0.15:
        return text.upper()
    if roll < 0.3:
        return text.replace(" ", ", ", 1)
    if roll < 0.4:
        return f"({text}:1.2)"
    return text


def _mix(rng: random.Random, pool: Sequence[str], n: int) -> str:
    return " ".join(rng.sample(list(pool), n))


def generate(seed: int = 13, part: str = "train", scale: float = 1.0) -> list[Row]:
    """Synthetic rows from one part of the vocabulary, deterministic for a seed; `scale`
    multiplies the sample counts."""
    return [row for rows in generate_families(seed, part, scale).values() for row in rows]


def generate_families(seed: int = 13, part: str = "train", scale: float = 1.0) -> dict[str, list[Row]]:
    """The rows of `generate` by family: `phrases` (this module's lists), `compositional`
    (`text_corpus_compose.py`) and `chat` (`text_corpus_chat.py`), each from its own random stream."""
    compositional: list[Row] = []
    text_corpus_compose.add_all(_Picker(seed + 1000, part), _adder(compositional, scale))
    chat: list[Row] = []
    text_corpus_chat.add_chat(_Picker(seed + 2000, part), _adder(chat, scale))
    return {"phrases": _phrases(seed, part, scale), "compositional": compositional, "chat": chat}


def _adder(rows: list[Row], scale: float) -> Callable[[set[str], int, Callable[[], str]], None]:
    def add(labels: set[str] | frozenset[str], count: int, make: Callable[[], str]) -> None:
        for _ in range(round(count * scale)):
            rows.append((make(), frozenset(labels)))
    return add


def _phrases(seed: int, part: str, scale: float) -> list[Row]:
    rng = _Picker(seed, part)
    rows: list[Row] = []
    add = _adder(rows, scale)

    # English prompts
    add({"sexual"}, 2200, lambda: _noisy(rng, _prompt(rng, _fill(rng, rng.choice(EN_SEXUAL), EN_ADULT, EN_GROUPS, EN_SLURS), False)))
    add({"sexual"}, 500, lambda: _prompt(rng, rng.choice(EN_SEXUAL_PLAIN), False))
    add({"sexual", "minors"}, 1200, lambda: _prompt(rng, _fill(rng, rng.choice(EN_SEXUAL), EN_MINOR, EN_GROUPS, EN_SLURS), False))
    add({"violence"}, 1500, lambda: _noisy(rng, _prompt(rng, _fill(rng, rng.choice(EN_VIOLENCE), EN_ADULT, EN_GROUPS, EN_SLURS, EN_PEOPLE2), False)))
    add({"gore", "violence"}, 1200, lambda: _noisy(rng, _prompt(rng, _fill(rng, rng.choice(EN_GORE), EN_ADULT, EN_GROUPS, EN_SLURS), False)))
    add({"self_harm"}, 1000, lambda: _prompt(rng, _fill(rng, rng.choice(EN_SELF_HARM), EN_ADULT + EN_MINOR, EN_GROUPS, EN_SLURS), False))
    add({"hate"}, 900, lambda: _prompt(rng, _fill(rng, rng.choice(EN_HATE_PROMPT), EN_ADULT, EN_GROUPS, EN_SLURS), False))
    add({"extremism"}, 700, lambda: _prompt(rng, rng.choice(EN_EXTREMISM), False))
    add({"weapons"}, 600, lambda: _prompt(rng, rng.choice(EN_WEAPONS), False))
    add({"drugs"}, 800, lambda: _prompt(rng, _fill(rng, rng.choice(EN_DRUGS), EN_ADULT, EN_GROUPS, EN_SLURS), False))
    add({"gambling"}, 700, lambda: _prompt(rng, _fill(rng, rng.choice(EN_GAMBLING), EN_ADULT, EN_GROUPS, EN_SLURS), False))
    add(set(), 9000, lambda: _noisy(rng, _prompt(rng, rng.choice(EN_BENIGN_SUBJECT), False)))
    add(set(), 1500, lambda: _prompt(rng, f"{rng.choice(EN_BENIGN_SUBJECT)}, {rng.choice(EN_BENIGN_SUBJECT)}", False))
    add(set(), 1500, lambda: f"{rng.choice(EN_BENIGN_SUBJECT)}, lowres, bad anatomy, blurry, watermark")  # tag lists
    add(set(), 8000, lambda: _caption(rng))
    add(set(), 2500, lambda: rng.choice(HOWTO_EN).format(x=rng.choice(HOWTO_EN_X)))
    add(set(), 2000, lambda: rng.choice(HOWTO_ZH).format(x=rng.choice(HOWTO_ZH_X)))
    add(set(), 2000, lambda: rng.choice(PSA_ZH).format(x=rng.choice(PSA_ZH_X)))
    # English chat text
    for labels, patterns in EN_TOXIC.items():
        add(labels, 500 if len(patterns) > 5 else 250, lambda p=patterns: _with_context(
            rng, _fill(rng, rng.choice(p), EN_ADULT, EN_GROUPS, EN_SLURS)))
    add(set(), 4000, lambda: _mix(rng, EN_NEUTRAL, rng.randint(1, 4)))
    for _ in range(round(9000 * scale)):
        text, labels = _en_chat(rng)
        rows.append((_with_context(rng, text), labels))
    add(set(), 3000, lambda: _with_context(rng, rng.choice(EN_LOOKALIKE)))
    add(set(), 1500, lambda: _with_context(rng, _fill(rng, rng.choice([
        "{g} have a rich cultural history.", "I met a lot of {g} at the conference.", "Discrimination against {g} is wrong.",
        "The museum has an exhibit on the history of {g}.", "My best friends are {g}.", "Why do some people discriminate against {g}?",
        "What are common stereotypes about {g} and why are they wrong?", "There are {g} in every profession."]),
        EN_ADULT, EN_GROUPS, EN_SLURS)))
    # Chinese prompts
    add({"sexual"}, 1800, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_SEXUAL), ZH_ADULT, ZH_GROUPS, ZH_SLURS), True))
    add({"sexual"}, 600, lambda: _prompt(rng, rng.choice(ZH_SEXUAL_PLAIN), True))
    add({"sexual", "minors"}, 1000, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_SEXUAL), ZH_MINOR, ZH_GROUPS, ZH_SLURS), True))
    add({"violence"}, 1300, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_VIOLENCE), ZH_ADULT, ZH_GROUPS, ZH_SLURS, ZH_PEOPLE2), True))
    add({"gore", "violence"}, 1000, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_GORE), ZH_ADULT, ZH_GROUPS, ZH_SLURS), True))
    add({"self_harm"}, 900, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_SELF_HARM), ZH_ADULT + ZH_MINOR, ZH_GROUPS, ZH_SLURS), True))
    add({"hate"}, 600, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_HATE_PROMPT), ZH_ADULT, ZH_GROUPS, ZH_SLURS), True))
    add({"extremism"}, 600, lambda: _prompt(rng, rng.choice(ZH_EXTREMISM), True))
    add({"weapons"}, 500, lambda: _prompt(rng, rng.choice(ZH_WEAPONS), True))
    add({"drugs"}, 700, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_DRUGS), ZH_ADULT, ZH_GROUPS, ZH_SLURS), True))
    add({"gambling"}, 800, lambda: _prompt(rng, _fill(rng, rng.choice(ZH_GAMBLING), ZH_ADULT, ZH_GROUPS, ZH_SLURS), True))
    add(set(), 8000, lambda: _prompt(rng, rng.choice(ZH_BENIGN), True))
    add(set(), 1500, lambda: _prompt(rng, f"{rng.choice(ZH_BENIGN)}，{rng.choice(ZH_BENIGN)}", True))
    # Chinese comments
    add({"hate"}, 2500, lambda: _zh_comment(rng, _fill(rng, rng.choice(ZH_HATE), ZH_ADULT, ZH_GROUPS, ZH_SLURS)))
    add({"harassment"}, 1500, lambda: _zh_comment(rng, rng.choice(ZH_HARASS)))
    add(set(), 3000, lambda: _zh_comment(rng, _fill(rng, rng.choice(ZH_GROUP_NEUTRAL), ZH_ADULT, ZH_GROUPS, ZH_SLURS)))
    add(set(), 2500, lambda: _zh_comment(rng, rng.choice(ZH_NEUTRAL + ZH_LOOKALIKE)))
    return rows


def _with_context(rng: random.Random, sentence: str) -> str:
    """Short texts alone or inside neutral sentences, as chat messages come."""
    roll = rng.random()
    if roll < 0.5:
        return sentence
    before = _mix(rng, EN_NEUTRAL, rng.randint(1, 2)) if roll < 0.75 else ""
    after = _mix(rng, EN_NEUTRAL, rng.randint(1, 2)) if roll >= 0.65 else ""
    return " ".join(s for s in (before, sentence, after) if s)


def _zh_comment(rng: random.Random, sentence: str) -> str:
    roll = rng.random()
    if roll < 0.5:
        return sentence
    extra = rng.choice(ZH_NEUTRAL)
    return f"{extra}，{sentence}" if roll < 0.75 else f"{sentence}。{extra}"
