"""The translation grammar: hand-checked realisations of chosen derivations, and the sentence pool."""

import unittest

from data import translation_grammar as g


def noun(en):
    return next(n for n in g.NOUNS + g.PLACES if n.en[0] == en)


def adjective(en):
    return next(a for a in g.ADJECTIVES if a.en == en)


def verb(en):
    return next(v for v in g.VERBS + g.REPORT_VERBS if v.en[0] == en)


def np_(en, determiner="the", plural=False, adj=None):
    return g.NounPhrase(noun(en), determiner, plural, adjective(adj) if adj else None)


def texts(sentence):
    t = g.realise(sentence)
    return t.en, t.de, t.es


def statement(**clause):
    return g.Sentence("statement", g.Clause(**clause))


class RealisationTest(unittest.TestCase):
    def test_transitive_agreement_and_personal_a(self):
        s = statement(subject=np_("dog", adj="old"), verb=verb("see"), obj=np_("man", adj="young"))
        self.assertEqual(texts(s), ("the old dog sees the young man",
                                    "der alte hund sieht den jungen mann",
                                    "el perro viejo ve al hombre joven"))

    def test_german_adjective_endings_after_ein_words(self):
        s = statement(subject=np_("horse", "a", adj="old"), verb=verb("find"), obj=np_("ball", "my", adj="red"))
        self.assertEqual(texts(s), ("an old horse finds my red ball",
                                    "ein altes pferd findet meinen roten ball",
                                    "un caballo viejo encuentra mi pelota roja"))

    def test_no_personal_a_after_have(self):
        s = statement(subject=np_("man"), verb=verb("have"), obj=np_("dog", "a"))
        self.assertEqual(texts(s), ("the man has a dog", "der mann hat einen hund", "el hombre tiene un perro"))

    def test_plural_subject_and_bare_plural_object(self):
        s = statement(subject=np_("woman", plural=True, adj="tired"), verb=verb("buy"),
                      obj=np_("apple", "bare", True, "red"))
        self.assertEqual(texts(s), ("the tired women buy red apples",
                                    "die müden frauen kaufen rote äpfel",
                                    "las mujeres cansadas compran manzanas rojas"))

    def test_negated_indefinite_object_takes_kein_and_ningun(self):
        s = statement(subject=np_("cook"), verb=verb("love"), obj=np_("girl", "a", adj="sad"), negated=True)
        self.assertEqual(texts(s), ("the cook does not love a sad girl",
                                    "der koch liebt kein trauriges mädchen",
                                    "el cocinero no ama a ninguna niña triste"))

    def test_negated_definite_object_puts_nicht_after_it(self):
        s = statement(subject=g.Pronoun("1sg"), verb=verb("read"), obj=np_("letter"), negated=True, modal="can")
        self.assertEqual(texts(s), ("i cannot read the letter",
                                    "ich kann den brief nicht lesen",
                                    "no puedo leer la carta"))

    def test_fronted_time_gives_german_verb_second(self):
        s = statement(subject=np_("child"), verb=verb("sleep"), time=("today", "heute", "hoy"), time_first=True,
                      place=noun("garden"))
        self.assertEqual(texts(s), ("today the child sleeps in the garden",
                                    "heute schläft das kind im garten",
                                    "hoy el niño duerme en el jardín"))

    def test_subordinate_clause_is_verb_final_in_german(self):
        clause = g.Clause(subject=np_("woman"), verb=verb("wash"), obj=np_("car"), modal="want",
                          time=("tomorrow", "morgen", "mañana"))
        s = g.Sentence("report", clause, reporter=g.Pronoun("3sg", "f"), report_verb=verb("say"))
        t = g.realise(s)
        self.assertEqual((t.en, t.de, t.es), ("she says that the woman wants to wash the car tomorrow",
                                              "sie sagt dass die frau morgen das auto waschen will",
                                              "ella dice que la mujer quiere lavar el coche mañana"))
        self.assertEqual(t.de_speak, "sie sagt, dass die frau morgen das auto waschen will.")

    def test_because_clause(self):
        s = g.Sentence("because", g.Clause(subject=g.Pronoun("1pl"), verb=verb("wait")),
                       reason=g.Clause(subject=np_("door", plural=True), predicate=adjective("clean"), negated=True))
        self.assertEqual(texts(s), ("we wait because the doors are not clean",
                                    "wir warten weil die türen nicht sauber sind",
                                    "esperamos porque las puertas no están limpias"))

    def test_questions(self):
        s = g.Sentence("question", g.Clause(subject=np_("dog"), verb=verb("see"), obj=np_("cat")))
        t = g.realise(s)
        self.assertEqual((t.en, t.de_speak, t.es_speak), ("does the dog see the cat", "sieht der hund die katze?",
                                                          "¿ve el perro al gato?"))
        s = g.Sentence("question", g.Clause(subject=np_("cow", "my"), predicate=adjective("tired")))
        self.assertEqual(texts(s), ("is my cow tired", "ist meine kuh müde", "está cansada mi vaca"))

    def test_ser_and_estar(self):
        big = statement(subject=g.Pronoun("3sg", "f"), predicate=adjective("big"))
        happy = statement(subject=g.Pronoun("3pl"), predicate=adjective("happy"))
        self.assertEqual(texts(big), ("she is big", "sie ist groß", "ella es grande"))
        self.assertEqual(texts(happy), ("they are happy", "sie sind glücklich", "ellos están contentos"))


class PoolTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        cls.pool = g.generate_pool(7, 600, 60, 60)

    def test_deterministic(self):
        self.assertEqual(g.pool_fingerprint(self.pool), g.pool_fingerprint(g.generate_pool(7, 600, 60, 60)))
        self.assertNotEqual(g.pool_fingerprint(self.pool), g.pool_fingerprint(g.generate_pool(8, 600, 60, 60)))

    def test_no_sentence_in_two_splits(self):
        for language in ("en", "de", "es"):
            by_split = {split: {getattr(t, language) for t in self.pool[split]} for split in ("train", "dev", "test")}
            self.assertFalse(by_split["train"] & by_split["dev"], language)
            self.assertFalse(by_split["train"] & by_split["test"], language)
            self.assertFalse(by_split["dev"] & by_split["test"], language)

    def test_dev_and_test_words_occur_in_train(self):
        train = {w for t in self.pool["train"] for text in (t.en, t.de, t.es) for w in text.split()}
        for split in ("dev", "test"):
            self.assertGreater(len(self.pool[split]), 40)
            for t in self.pool[split]:
                for text in (t.en, t.de, t.es):
                    self.assertTrue(set(text.split()) <= train, text)

    def test_text_forms(self):
        for t in self.pool["train"][:200]:
            self.assertRegex(t.en, r"^[a-z]+( [a-z]+)*$")
            self.assertEqual(t.de_speak.replace(",", "").rstrip(".?"), t.de)
            self.assertEqual(t.es_speak.lstrip("¿").rstrip(".?"), t.es)


if __name__ == "__main__":
    unittest.main()
