"""A synchronous grammar for the translation corpus: German and Spanish sentences together with their
English translations (training/data/README.md, "Translation corpus").

One derivation (a :class:`Sentence`) is drawn at random and then realised in all three languages by
hand-written rules, so every pair is a translation by construction. The rules cover what makes the
task more than word-for-word substitution:

* agreement: German article, ``kein`` and adjective endings by gender, number, case (nominative
  subject, accusative object) and article type; Spanish article and adjective gender/number;
  verb person and number in all three languages (English ``sees``/``see``, ``am``/``is``/``are``);
* word order: German verb-second (``heute schläft der Hund``), verb-final in ``dass``/``weil``
  clauses, modal + final infinitive (``will die Katze sehen``), ``nicht`` after a definite object;
  Spanish adjectives after the noun, ``no`` before the verb, verb-first questions; English
  do-support in questions and negation;
* function words without a one-to-one counterpart: Spanish personal ``a`` before person and animal
  objects of verbs such as ``ver`` (``a`` + ``el`` = ``al``; not after ``tener``/``comprar``),
  Spanish subject pronoun drop for ``yo``/``nosotros``, German ``kein`` and Spanish
  ``ningún``/``ninguna`` for a negated indefinite object, ``ser`` vs ``estar``, German ``im`` =
  ``in dem``, English ``a``/``an``.

The lexicon is small (37 nouns, 7 of them places; 22 verbs; 13 adjectives; 5 time adverbs) and
every word form is listed explicitly. Sentences are lower case, words separated by single spaces; the ``speak`` forms add
the comma before a German subordinate clause and the final ``.``/``?`` (Spanish ``¿...?``) for
espeak-ng's prosody. Everything is deterministic given the seed.
"""

import dataclasses
import hashlib
import random
from typing import Dict, List, Optional, Tuple, Union

GRAMMAR_VERSION = 1
LANGUAGES = ("de", "es")

PERSON, ANIMAL, THING, PLACE = "person", "animal", "thing", "place"
ANIMATE = frozenset({PERSON, ANIMAL})


@dataclasses.dataclass(frozen=True)
class Noun:
    en: Tuple[str, str]          # singular, plural
    de_gender: str               # m, f, n
    de: Tuple[str, str]
    es_gender: str               # m, f
    es: Tuple[str, str]
    kind: str


def _n(en, de_gender, de, es_gender, es, kind):
    return Noun(tuple(en.split("/")), de_gender, tuple(de.split("/")), es_gender, tuple(es.split("/")), kind)


NOUNS = [
    _n("man/men", "m", "mann/männer", "m", "hombre/hombres", PERSON),
    _n("woman/women", "f", "frau/frauen", "f", "mujer/mujeres", PERSON),
    _n("child/children", "n", "kind/kinder", "m", "niño/niños", PERSON),
    _n("girl/girls", "n", "mädchen/mädchen", "f", "niña/niñas", PERSON),
    _n("teacher/teachers", "m", "lehrer/lehrer", "m", "profesor/profesores", PERSON),
    _n("doctor/doctors", "m", "arzt/ärzte", "m", "médico/médicos", PERSON),
    _n("friend/friends", "m", "freund/freunde", "m", "amigo/amigos", PERSON),
    _n("cook/cooks", "m", "koch/köche", "m", "cocinero/cocineros", PERSON),
    _n("sister/sisters", "f", "schwester/schwestern", "f", "hermana/hermanas", PERSON),
    _n("brother/brothers", "m", "bruder/brüder", "m", "hermano/hermanos", PERSON),
    _n("dog/dogs", "m", "hund/hunde", "m", "perro/perros", ANIMAL),
    _n("cat/cats", "f", "katze/katzen", "m", "gato/gatos", ANIMAL),
    _n("horse/horses", "n", "pferd/pferde", "m", "caballo/caballos", ANIMAL),
    _n("bird/birds", "m", "vogel/vögel", "m", "pájaro/pájaros", ANIMAL),
    _n("cow/cows", "f", "kuh/kühe", "f", "vaca/vacas", ANIMAL),
    _n("mouse/mice", "f", "maus/mäuse", "m", "ratón/ratones", ANIMAL),
    _n("book/books", "n", "buch/bücher", "m", "libro/libros", THING),
    _n("apple/apples", "m", "apfel/äpfel", "f", "manzana/manzanas", THING),
    _n("car/cars", "n", "auto/autos", "m", "coche/coches", THING),
    _n("letter/letters", "m", "brief/briefe", "f", "carta/cartas", THING),
    _n("table/tables", "m", "tisch/tische", "f", "mesa/mesas", THING),
    _n("bread/breads", "n", "brot/brote", "m", "pan/panes", THING),
    _n("cup/cups", "f", "tasse/tassen", "f", "taza/tazas", THING),
    _n("flower/flowers", "f", "blume/blumen", "f", "flor/flores", THING),
    _n("key/keys", "m", "schlüssel/schlüssel", "f", "llave/llaves", THING),
    _n("window/windows", "n", "fenster/fenster", "f", "ventana/ventanas", THING),
    _n("door/doors", "f", "tür/türen", "f", "puerta/puertas", THING),
    _n("ball/balls", "m", "ball/bälle", "f", "pelota/pelotas", THING),
    _n("chair/chairs", "m", "stuhl/stühle", "f", "silla/sillas", THING),
    _n("shirt/shirts", "n", "hemd/hemden", "f", "camisa/camisas", THING),
]

# Places appear only in "in the X" (German dative: im / in der).
PLACES = [
    _n("garden/gardens", "m", "garten/gärten", "m", "jardín/jardines", PLACE),
    _n("kitchen/kitchens", "f", "küche/küchen", "f", "cocina/cocinas", PLACE),
    _n("house/houses", "n", "haus/häuser", "f", "casa/casas", PLACE),
    _n("city/cities", "f", "stadt/städte", "f", "ciudad/ciudades", PLACE),
    _n("school/schools", "f", "schule/schulen", "f", "escuela/escuelas", PLACE),
    _n("park/parks", "m", "park/parks", "m", "parque/parques", PLACE),
    _n("forest/forests", "m", "wald/wälder", "m", "bosque/bosques", PLACE),
]


@dataclasses.dataclass(frozen=True)
class Adjective:
    en: str
    de: str                                  # stem; endings by agreement
    es: Tuple[str, str, str, str]            # m sg, f sg, m pl, f pl
    copula: str                              # Spanish ser or estar
    kinds: frozenset                         # nouns it may describe


def _a(en, de, es, copula, kinds):
    return Adjective(en, de, tuple(es.split("/")), copula, frozenset(kinds))


ANY = (PERSON, ANIMAL, THING)
ADJECTIVES = [
    _a("big", "groß", "grande/grande/grandes/grandes", "ser", ANY),
    _a("small", "klein", "pequeño/pequeña/pequeños/pequeñas", "ser", ANY),
    _a("old", "alt", "viejo/vieja/viejos/viejas", "ser", ANY),
    _a("young", "jung", "joven/joven/jóvenes/jóvenes", "ser", ANIMATE),
    _a("new", "neu", "nuevo/nueva/nuevos/nuevas", "ser", (THING,)),
    _a("red", "rot", "rojo/roja/rojos/rojas", "ser", (THING,)),
    _a("black", "schwarz", "negro/negra/negros/negras", "ser", (ANIMAL, THING)),
    _a("white", "weiß", "blanco/blanca/blancos/blancas", "ser", (ANIMAL, THING)),
    _a("beautiful", "schön", "bonito/bonita/bonitos/bonitas", "ser", ANY),
    _a("clean", "sauber", "limpio/limpia/limpios/limpias", "estar", (THING,)),
    _a("happy", "glücklich", "contento/contenta/contentos/contentas", "estar", ANIMATE),
    _a("tired", "müde", "cansado/cansada/cansados/cansadas", "estar", ANIMATE),
    _a("sad", "traurig", "triste/triste/tristes/tristes", "estar", ANIMATE),
]

PERSONS = ("1sg", "1pl", "3sg", "3pl")


@dataclasses.dataclass(frozen=True)
class Verb:
    en: Tuple[str, str]                          # base, 3sg
    de: Tuple[str, str, str]                     # 1sg, 3sg, plural/infinitive
    es: Tuple[str, str, str, str, str]           # 1sg, 3sg, 1pl, 3pl, infinitive
    subjects: frozenset
    objects: Optional[frozenset]                 # None: intransitive
    personal_a: bool = True                      # Spanish "a" before a definite person or animal object


def _v(en, de, es, subjects, objects=None, personal_a=True):
    return Verb(tuple(en.split("/")), tuple(de.split("/")), tuple(es.split("/")), frozenset(subjects),
                frozenset(objects) if objects is not None else None, personal_a)


VERBS = [
    _v("see/sees", "sehe/sieht/sehen", "veo/ve/vemos/ven/ver", ANIMATE, ANY),
    _v("find/finds", "finde/findet/finden", "encuentro/encuentra/encontramos/encuentran/encontrar",
       ANIMATE, ANY),
    _v("have/has", "habe/hat/haben", "tengo/tiene/tenemos/tienen/tener", (PERSON,), (ANIMAL, THING),
       personal_a=False),
    _v("buy/buys", "kaufe/kauft/kaufen", "compro/compra/compramos/compran/comprar", (PERSON,), (THING, ANIMAL),
       personal_a=False),
    _v("read/reads", "lese/liest/lesen", "leo/lee/leemos/leen/leer", (PERSON,), (THING,)),
    _v("love/loves", "liebe/liebt/lieben", "amo/ama/amamos/aman/amar", ANIMATE, ANIMATE),
    _v("call/calls", "rufe/ruft/rufen", "llamo/llama/llamamos/llaman/llamar", (PERSON,), ANIMATE),
    _v("need/needs", "brauche/braucht/brauchen", "necesito/necesita/necesitamos/necesitan/necesitar",
       (PERSON,), (THING,)),
    _v("open/opens", "öffne/öffnet/öffnen", "abro/abre/abrimos/abren/abrir", (PERSON,), (THING,)),
    _v("carry/carries", "trage/trägt/tragen", "llevo/lleva/llevamos/llevan/llevar", (PERSON,), (THING,)),
    _v("visit/visits", "besuche/besucht/besuchen", "visito/visita/visitamos/visitan/visitar", (PERSON,), (PERSON,)),
    _v("wash/washes", "wasche/wäscht/waschen", "lavo/lava/lavamos/lavan/lavar", (PERSON,), (ANIMAL, THING)),
    _v("sleep/sleeps", "schlafe/schläft/schlafen", "duermo/duerme/dormimos/duermen/dormir", ANIMATE),
    _v("work/works", "arbeite/arbeitet/arbeiten", "trabajo/trabaja/trabajamos/trabajan/trabajar", (PERSON,)),
    _v("play/plays", "spiele/spielt/spielen", "juego/juega/jugamos/juegan/jugar", ANIMATE),
    _v("run/runs", "laufe/läuft/laufen", "corro/corre/corremos/corren/correr", ANIMATE),
    _v("sing/sings", "singe/singt/singen", "canto/canta/cantamos/cantan/cantar", (PERSON,)),
    _v("wait/waits", "warte/wartet/warten", "espero/espera/esperamos/esperan/esperar", ANIMATE),
    _v("laugh/laughs", "lache/lacht/lachen", "río/ríe/reímos/ríen/reír", (PERSON,)),
]
# Object restrictions that a kind alone cannot express.
OBJECT_NOUNS = {"read": {"book", "letter"}, "open": {"door", "window", "book", "letter", "car"}}

# German forms (1sg, 3sg, plural), Spanish forms (1sg, 3sg, 1pl, 3pl); English is built in _en_verb_group.
MODALS = {
    "can": (("kann", "kann", "können"), ("puedo", "puede", "podemos", "pueden")),
    "want": (("will", "will", "wollen"), ("quiero", "quiere", "queremos", "quieren")),
}

# Verbs of the reporting frame "X thinks that ...".
REPORT_VERBS = [
    _v("think/thinks", "glaube/glaubt/glauben", "creo/cree/creemos/creen/creer", (PERSON,)),
    _v("say/says", "sage/sagt/sagen", "digo/dice/decimos/dicen/decir", (PERSON,)),
    _v("know/knows", "weiß/weiß/wissen", "sé/sabe/sabemos/saben/saber", (PERSON,)),
]

# Time adverbs: English, German, Spanish.
TIMES = [("today", "heute", "hoy"), ("now", "jetzt", "ahora"), ("tomorrow", "morgen", "mañana"),
         ("in the evening", "abends", "por la noche"), ("in the morning", "morgens", "por la mañana")]

PRONOUNS = {  # (person, Spanish gender) -> English, German, Spanish (None: dropped)
    ("1sg", "m"): ("i", "ich", None),
    ("1pl", "m"): ("we", "wir", None),
    ("3sg", "m"): ("he", "er", "él"),
    ("3sg", "f"): ("she", "sie", "ella"),
    ("3pl", "m"): ("they", "sie", "ellos"),
}

# English and German (1sg, 3sg, plural), Spanish (1sg, 3sg, 1pl, 3pl), like the verb forms.
COPULA = {"en": ("am", "is", "are"), "de": ("bin", "ist", "sind"),
          "ser": ("soy", "es", "somos", "son"), "estar": ("estoy", "está", "estamos", "están")}


# ---------------------------------------------------------------------------------------------
# Derivations


@dataclasses.dataclass(frozen=True)
class NounPhrase:
    noun: Noun
    determiner: str               # the, a, my, bare (bare: indefinite plural, objects only)
    plural: bool
    adjective: Optional[Adjective] = None

    @property
    def person(self):
        return "3pl" if self.plural else "3sg"


@dataclasses.dataclass(frozen=True)
class Pronoun:
    person: str
    gender: str = "m"             # Spanish agreement of "he"/"she"; I/we/they take the masculine


Subject = Union[NounPhrase, Pronoun]


@dataclasses.dataclass(frozen=True)
class Clause:
    subject: Subject
    verb: Optional[Verb] = None                   # None: predicate adjective ("is tired")
    obj: Optional[NounPhrase] = None
    predicate: Optional[Adjective] = None
    modal: Optional[str] = None                   # can, want
    negated: bool = False
    time: Optional[Tuple[str, str, str]] = None
    time_first: bool = False                      # fronted time adverb (German verb-second)
    place: Optional[Noun] = None


@dataclasses.dataclass(frozen=True)
class Sentence:
    kind: str                                     # statement, question, report, because
    clause: Clause
    reporter: Optional[Subject] = None            # report: "the woman says that ..."
    report_verb: Optional[Verb] = None
    reason: Optional[Clause] = None               # because: "<clause> because <reason>"


def three_forms(forms, person):
    """The form for ``person`` from (1sg, 3sg, plural) forms (German verbs, English copula)."""
    return forms[{"1sg": 0, "3sg": 1, "1pl": 2, "3pl": 2}[person]]


def four_forms(forms, person):
    """The form for ``person`` from (1sg, 3sg, 1pl, 3pl) forms (Spanish verbs)."""
    return forms[{"1sg": 0, "3sg": 1, "1pl": 2, "3pl": 3}[person]]


def _subject_gender_es(subject):
    return subject.noun.es_gender if isinstance(subject, NounPhrase) else subject.gender


# ---------------------------------------------------------------------------------------------
# English


def _en_np(np_):
    words = []
    noun = np_.noun.en[1] if np_.plural else np_.noun.en[0]
    head = ([np_.adjective.en] if np_.adjective else []) + noun.split()
    if np_.determiner == "the":
        words.append("the")
    elif np_.determiner == "my":
        words.append("my")
    elif np_.determiner == "a":
        words.append("an" if head[0][0] in "aeiou" else "a")
    return words + head


def _en_subject(subject):
    if isinstance(subject, Pronoun):
        return [PRONOUNS[(subject.person, subject.gender)][0]]
    return _en_np(subject)


def _en_verb_group(c, question=False):
    """(words before the subject in a question, or after it in a statement; words after those)."""
    person = c.subject.person
    do = ["does" if person == "3sg" else "do"]
    if c.verb is None:
        return [three_forms(COPULA["en"], person)], (["not"] if c.negated else []) + c.predicate.en.split()
    base = c.verb.en[0]
    if c.modal == "can":
        return ["cannot" if c.negated else "can"], [base]
    if c.modal == "want":
        if c.negated or question:
            return do, (["not"] if c.negated else []) + ["want", "to", base]
        return [], ["wants" if person == "3sg" else "want", "to", base]
    if c.negated or question:
        return do, (["not"] if c.negated else []) + [base]
    return [], [c.verb.en[1] if person == "3sg" else base]


def _en_tail(c):
    words = _en_np(c.obj) if c.obj else []
    if c.place:
        words += ["in", "the", c.place.en[0]]
    return words


def realise_en_clause(c, question=False, time_at_end=False):
    aux, rest = _en_verb_group(c, question)
    time = c.time[0].split() if c.time else []
    if question:
        return aux + _en_subject(c.subject) + rest + _en_tail(c)
    front = time if c.time_first and not time_at_end else []
    end = time if time and not front else []
    return front + _en_subject(c.subject) + aux + rest + _en_tail(c) + end


def realise_en(s):
    if s.kind == "question":
        return realise_en_clause(s.clause, question=True)
    if s.kind == "report":
        reporter = _en_subject(s.reporter)
        verb = s.report_verb.en[1] if s.reporter.person == "3sg" else s.report_verb.en[0]
        return reporter + [verb, "that"] + realise_en_clause(s.clause, time_at_end=True)
    if s.kind == "because":
        return realise_en_clause(s.clause) + ["because"] + realise_en_clause(s.reason, time_at_end=True)
    return realise_en_clause(s.clause)


# ---------------------------------------------------------------------------------------------
# German

_DE_DEF = {("nom", "m"): "der", ("nom", "f"): "die", ("nom", "n"): "das",
           ("acc", "m"): "den", ("acc", "f"): "die", ("acc", "n"): "das"}
# Endings of ein-words (ein, kein, mein) in the singular.
_DE_EIN = {("nom", "m"): "", ("nom", "f"): "e", ("nom", "n"): "",
           ("acc", "m"): "en", ("acc", "f"): "e", ("acc", "n"): ""}
# Adjective endings: weak after der-words, mixed after ein-words (singular).
_DE_ADJ_WEAK = {("nom", "m"): "e", ("nom", "f"): "e", ("nom", "n"): "e",
                ("acc", "m"): "en", ("acc", "f"): "e", ("acc", "n"): "e"}
_DE_ADJ_MIXED = {("nom", "m"): "er", ("nom", "f"): "e", ("nom", "n"): "es",
                 ("acc", "m"): "en", ("acc", "f"): "e", ("acc", "n"): "es"}


def de_np(np_, case, negated_indefinite=False):
    """German noun phrase in ``case`` (nom or acc); ``negated_indefinite`` turns ein/bare into kein."""
    g = np_.noun.de_gender
    noun = np_.noun.de[1] if np_.plural else np_.noun.de[0]
    det = np_.determiner
    if negated_indefinite and det in ("a", "bare"):
        det = "kein"
    words = []
    if np_.plural:
        if det == "the":
            words, ending = ["die"], "en"
        elif det in ("my", "kein"):
            words, ending = [("mein" if det == "my" else "kein") + "e"], "en"
        else:  # bare plural: strong ending
            ending = "e"
    else:
        key = (case, g)
        if det == "the":
            words, ending = [_DE_DEF[key]], _DE_ADJ_WEAK[key]
        else:
            stem = {"a": "ein", "my": "mein", "kein": "kein"}[det]
            words, ending = [stem + _DE_EIN[key]], _DE_ADJ_MIXED[key]
    if np_.adjective:
        stem = np_.adjective.de
        words.append(stem + (ending[1:] if stem.endswith("e") else ending))  # müde + e = müde
    return words + [noun]


def _de_subject(subject):
    if isinstance(subject, Pronoun):
        return [PRONOUNS[(subject.person, subject.gender)][1]]
    return de_np(subject, "nom")


def _de_finite(c):
    """(finite verb, final non-finite verb or None)."""
    person = c.subject.person
    if c.verb is None:
        return three_forms(COPULA["de"], person), None
    if c.modal:
        return three_forms(MODALS[c.modal][0], person), c.verb.de[2]
    return three_forms(c.verb.de, person), None


def _de_middle(c):
    """Middle field after the subject: time, object, nicht, place, predicate."""
    words = []
    if c.time and not c.time_first:
        words += c.time[1].split()
    kein = c.negated and c.obj is not None and c.obj.determiner in ("a", "bare")
    if c.obj:
        words += de_np(c.obj, "acc", negated_indefinite=kein)
    if c.negated and not kein:
        words.append("nicht")
    if c.place:
        words += (["im"] if c.place.de_gender in ("m", "n") else ["in", "der"]) + [c.place.de[0]]
    if c.predicate:
        words.append(c.predicate.de)
    return words


def realise_de_clause(c, question=False, subordinate=False):
    finite, final = _de_finite(c)
    final = [final] if final else []
    subject = _de_subject(c.subject)
    middle = _de_middle(c)
    if subordinate:  # verb-final, time in the middle field
        time = c.time[1].split() if c.time and c.time_first else []
        return subject + time + middle + final + [finite]
    if question:
        return [finite] + subject + middle + final
    if c.time and c.time_first:  # verb second: the adverb fills the first position
        return c.time[1].split() + [finite] + subject + middle + final
    return subject + [finite] + middle + final


_DE_COMPLEMENTIZER = {"report": "dass", "because": "weil"}


def realise_de(s):
    """German words and the index before which a comma is spoken (or None)."""
    if s.kind == "question":
        return realise_de_clause(s.clause, question=True), None
    if s.kind == "report":
        reporter = _de_subject(s.reporter)
        head = reporter + [three_forms(s.report_verb.de, s.reporter.person)]
        return head + ["dass"] + realise_de_clause(s.clause, subordinate=True), len(head)
    if s.kind == "because":
        head = realise_de_clause(s.clause)
        return head + ["weil"] + realise_de_clause(s.reason, subordinate=True), len(head)
    return realise_de_clause(s.clause), None


# ---------------------------------------------------------------------------------------------
# Spanish


def _es_adj(adj, gender, plural):
    return adj.es[(2 if plural else 0) + (1 if gender == "f" else 0)]


def es_np(np_, negated_indefinite=False):
    g = np_.noun.es_gender
    noun = np_.noun.es[1] if np_.plural else np_.noun.es[0]
    det = np_.determiner
    if det == "the":
        words = [{(False, "m"): "el", (False, "f"): "la", (True, "m"): "los", (True, "f"): "las"}[(np_.plural, g)]]
    elif det == "my":
        words = ["mis" if np_.plural else "mi"]
    elif det == "a":
        words = [("ningún" if g == "m" else "ninguna") if negated_indefinite else ("un" if g == "m" else "una")]
    else:
        words = []
    words.append(noun)
    if np_.adjective:
        words.append(_es_adj(np_.adjective, g, np_.plural))
    return words


def _es_object(np_, verb, negated):
    words = es_np(np_, negated_indefinite=negated)
    if verb.personal_a and np_.noun.kind in ANIMATE and np_.determiner != "bare":
        if words[0] == "el":
            return ["al"] + words[1:]
        return ["a"] + words
    return words


def _es_subject(subject):
    if isinstance(subject, Pronoun):
        pronoun = PRONOUNS[(subject.person, subject.gender)][2]
        return [pronoun] if pronoun else []
    return es_np(subject)


def _es_verb_group(c):
    person = c.subject.person
    if c.verb is None:
        plural = person in ("1pl", "3pl")
        adjective = _es_adj(c.predicate, _subject_gender_es(c.subject), plural)
        return [four_forms(COPULA[c.predicate.copula], person)], [adjective]
    if c.modal:
        return [four_forms(MODALS[c.modal][1], person)], [c.verb.es[4]]
    return [four_forms(c.verb.es, person)], []


def _es_tail(c):
    words = _es_object(c.obj, c.verb, c.negated) if c.obj else []
    if c.place:
        words += ["en", "el" if c.place.es_gender == "m" else "la", c.place.es[0]]
    return words


def realise_es_clause(c, question=False, time_at_end=False):
    verb, rest = _es_verb_group(c)
    neg = ["no"] if c.negated else []
    subject = _es_subject(c.subject)
    time = c.time[2].split() if c.time else []
    if question:
        if c.verb is None:  # ¿está cansado el perro?
            return verb + rest + subject
        return verb + subject + rest + _es_tail(c)
    front = time if c.time_first and not time_at_end else []
    end = time if time and not front else []
    return front + subject + neg + verb + rest + _es_tail(c) + end


def realise_es(s):
    if s.kind == "question":
        return realise_es_clause(s.clause, question=True)
    if s.kind == "report":
        reporter = _es_subject(s.reporter)
        head = reporter + [four_forms(s.report_verb.es, s.reporter.person), "que"]
        return head + realise_es_clause(s.clause, time_at_end=True)
    if s.kind == "because":
        return realise_es_clause(s.clause) + ["porque"] + realise_es_clause(s.reason, time_at_end=True)
    return realise_es_clause(s.clause)


# ---------------------------------------------------------------------------------------------
# Sampling


@dataclasses.dataclass(frozen=True)
class Triple:
    """One sentence in the three languages: text (words) and speak (with punctuation) forms."""

    en: str
    de: str
    es: str
    de_speak: str
    es_speak: str
    en_speak: str

    def text(self, language):
        return getattr(self, language)

    def speak(self, language):
        return getattr(self, f"{language}_speak")


def realise(s: Sentence) -> Triple:
    en = realise_en(s)
    de, comma = realise_de(s)
    es = realise_es(s)
    end = "?" if s.kind == "question" else "."
    de_speak = " ".join(de[:comma]) + ", " + " ".join(de[comma:]) if comma else " ".join(de)
    es_speak = ("¿" + " ".join(es) + "?") if s.kind == "question" else " ".join(es) + end
    return Triple(" ".join(en), " ".join(de), " ".join(es), de_speak + end, es_speak, " ".join(en) + end)


def _noun_phrase(rng, kinds, allow_bare=False, nouns=None):
    candidates = [n for n in NOUNS if n.kind in kinds and (nouns is None or n.en[0] in nouns)]
    noun = rng.choice(candidates)
    determiners = ["the", "the", "a", "my"] + (["bare"] if allow_bare else [])
    det = rng.choice(determiners)
    plural = det == "bare" or (det != "a" and rng.random() < 0.3)
    fitting = [a for a in ADJECTIVES if noun.kind in a.kinds]
    adjective = rng.choice(fitting) if fitting and rng.random() < 0.35 else None
    return NounPhrase(noun, det, plural, adjective)


def _subject(rng, kinds):
    if PERSON in kinds and rng.random() < 0.3:
        person = rng.choice(PERSONS)
        gender = rng.choice("mf") if person == "3sg" else "m"
        return Pronoun(person, gender)
    return _noun_phrase(rng, kinds)


def _clause(rng, allow_time=True, allow_pronoun=True, allow_negation=True):
    def subject(kinds):
        return _subject(rng, kinds) if allow_pronoun else _noun_phrase(rng, kinds)

    verb = obj = predicate = modal = place = None
    if rng.random() < 0.2:  # predicate adjective
        predicate = rng.choice(ADJECTIVES)
        subj = subject(predicate.kinds)
    else:
        verb = rng.choice(VERBS)
        subj = subject(verb.subjects)
        if verb.objects is not None:
            obj = _noun_phrase(rng, verb.objects, allow_bare=True, nouns=OBJECT_NOUNS.get(verb.en[0]))
        modal = rng.choice(["can", "want"]) if rng.random() < 0.25 else None
    negated = allow_negation and rng.random() < 0.25
    if verb is not None and not negated and rng.random() < 0.3:
        place = rng.choice(PLACES)
    time = rng.choice(TIMES) if allow_time and rng.random() < 0.3 else None
    time_first = bool(time) and rng.random() < 0.5
    return Clause(subj, verb, obj, predicate, modal, negated, time, time_first, place)


def sample_sentence(rng: random.Random) -> Sentence:
    r = rng.random()
    if r < 0.55:
        return Sentence("statement", _clause(rng))
    if r < 0.7:
        return Sentence("question", _clause(rng, allow_time=False, allow_pronoun=False, allow_negation=False))
    if r < 0.87:
        reporter = _subject(rng, (PERSON,))
        return Sentence("report", _clause(rng), reporter=reporter, report_verb=rng.choice(REPORT_VERBS))
    return Sentence("because", _clause(rng, allow_time=False), reason=_clause(rng))


def generate_pool(seed: int, n_train: int, n_dev: int, n_test: int, max_words: int = 20) -> Dict[str, List[Triple]]:
    """Distinct sentence triples split into train/dev/test.

    A triple is kept only if none of its English, German or Spanish sentences occurred before, so
    no sentence of any language can be in two splits. Dev and test triples with a word (in any of
    the three languages) that no train triple holds are dropped.
    """
    rng = random.Random(f"translation-grammar:{GRAMMAR_VERSION}:{seed}")
    seen, triples = set(), []
    wanted = n_train + n_dev + n_test
    attempts = 0
    while len(triples) < wanted:
        attempts += 1
        if attempts > 50 * wanted:
            raise ValueError(f"the grammar gave only {len(triples)} distinct sentences of {wanted}")
        t = realise(sample_sentence(rng))
        keys = (("en", t.en), ("de", t.de), ("es", t.es))
        if any(k in seen for k in keys) or len(t.en.split()) > max_words:
            continue
        seen.update(keys)
        triples.append(t)
    pool = {"dev": triples[:n_dev], "test": triples[n_dev:n_dev + n_test], "train": triples[n_dev + n_test:]}
    train_words = {w for t in pool["train"] for text in (t.en, t.de, t.es) for w in text.split()}
    for split in ("dev", "test"):
        pool[split] = [t for t in pool[split]
                       if all(w in train_words for text in (t.en, t.de, t.es) for w in text.split())]
    return pool


def pool_fingerprint(pool: Dict[str, List[Triple]]) -> str:
    h = hashlib.sha256()
    for split in ("train", "dev", "test"):
        for t in pool[split]:
            h.update(f"{split}\t{t.en}\t{t.de_speak}\t{t.es_speak}\n".encode())
    return h.hexdigest()
