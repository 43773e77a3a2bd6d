"""Parsers of the wide corpus's text sources, on small files written here in each source's format."""

import gzip
import os
import tempfile
import unittest

from data import sources

GCIDE_ENTRY = """Abuse \\A*buse"\\, n. [F. abus, L. abusus, fr. abuti. See {Abuse},
   v. t.]
   1. Improper treatment or use; application to a wrong or bad
      purpose; as, an abuse of our natural powers.
      [1913 Webster]

            Liberty may be endangered by the abuses of liberty,
            as well as by the abuses of power.    --Madison.
      [1913 Webster]

   2. Physical ill treatment; injury. "Rejoice . . . at the
      abuse of Falstaff." --Shak.
      [1913 Webster]

   Syn: Invective; contumely; reproach; scurrility; insult.

   Usage: {Abuse}, {Invective}. Abuse is generally prompted by
          anger, and vented in harsh and unseemly words.
          [1913 Webster]
"""


class WordNetTest(unittest.TestCase):
    def test_gloss_is_split_into_definitions_and_examples(self):
        defs, examples = sources.parse_wordnet_gloss(
            'the position of foreman (usually followed by `of\'); the job of a boss; '
            '"he was promoted to foremanship"; "a rose is a rose" - Gertrude Stein')
        self.assertEqual(defs, ["the position of foreman", "the job of a boss"])
        self.assertEqual(examples, ["he was promoted to foremanship", "a rose is a rose"])

    def test_data_file_lines(self):
        with tempfile.TemporaryDirectory() as d:
            for name in sources.WORDNET_FILES:
                with open(os.path.join(d, name), "w") as f:
                    f.write("  1 This software and database is being provided to you, the LICENSEE\n")
                    if name == "data.noun":
                        f.write('00592535 04 n 01 foremanship 0 003 @ 00586262 n 0000 | the position of foreman; '
                                '"he was promoted to foremanship"  \n')
            got = list(sources.read_wordnet(d))
        self.assertEqual(got, [("definition", "the position of foreman"),
                               ("example", "he was promoted to foremanship")])


class DictdTest(unittest.TestCase):
    def test_base64_numbers(self):
        self.assertEqual(sources.b64_number("A"), 0)
        self.assertEqual(sources.b64_number("/"), 63)
        self.assertEqual(sources.b64_number("BA"), 64)
        self.assertEqual(sources.b64_number("5I"), 57 * 64 + 8)

    def test_entries_are_read_once_through_the_index(self):
        entries = ["First entry text.\n", "Second entry.\n"]
        data = "".join(entries).encode()

        def b64(n):
            digits = ""
            while True:
                digits = sources._B64[n % 64] + digits
                n //= 64
                if n == 0:
                    return digits
        with tempfile.TemporaryDirectory() as d:
            with gzip.open(os.path.join(d, "demo.dict.dz"), "wb") as f:
                f.write(data)
            with open(os.path.join(d, "demo.index"), "w") as f:
                f.write(f"00-database-info\t{b64(0)}\t{b64(3)}\n")
                f.write(f"first\t{b64(0)}\t{b64(len(entries[0]))}\n")
                f.write(f"second\t{b64(len(entries[0]))}\t{b64(len(entries[1]))}\n")
                f.write(f"zweite\t{b64(len(entries[0]))}\t{b64(len(entries[1]))}\n")  # same entry, other headword
            got = list(sources.read_dictd_entries("demo", d))
        self.assertEqual(got, [("first", entries[0]), ("second", entries[1])])

    def test_gcide_entry(self):
        got = list(sources.parse_gcide_entry(GCIDE_ENTRY))
        self.assertEqual(got, [
            ("definition", "Improper treatment or use"),
            ("definition", "application to a wrong or bad purpose"),
            ("definition", "as, an abuse of our natural powers"),
            ("quotation", "Liberty may be endangered by the abuses of liberty, as well as by the abuses of power."),
            ("quotation", "Rejoice . . . at the abuse of Falstaff."),
            ("definition", "Physical ill treatment"),
            ("definition", "injury"),
            ("note", "Abuse, Invective. Abuse is generally prompted by anger, and vented in harsh and unseemly words."),
        ])

    def test_devil_entry(self):
        entry = ("ABASEMENT, n.  A decent and customary mental attitude in the\n"
                 "presence of wealth or power.\n\n    Verse line one,\n    verse line two.\n")
        self.assertEqual(sources.parse_devil_entry(entry), [
            "A decent and customary mental attitude in the presence of wealth or power.",
            "Verse line one,", "verse line two."])


@unittest.skipUnless(os.path.exists(os.path.join(sources.WORDNET_DIR, "data.noun")), "wordnet-base not installed")
class InstalledWordNetTest(unittest.TestCase):
    def test_tens_of_thousands_of_examples(self):
        examples = sum(1 for kind, _ in sources.read_wordnet(kinds=("example",)) if kind == "example")
        self.assertGreater(examples, 40000)


if __name__ == "__main__":
    unittest.main()
