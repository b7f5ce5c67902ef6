"""Generate common_words.txt: the words a bare company name must not be matched on.

A word is common when it is among the 10,000 most frequent English words (wordfreq 3.1
`top_n_list("en", 10000)`) and is a lowercase entry of the Debian `wamerican` dictionary
(/usr/share/dict/american-english, 2020.12.07), i.e. an ordinary noun, verb or adjective, not only a
proper name. Demonyms and region adjectives are capitalised in the dictionary but are as generic in a
company name ("American", "Pacific"), so EXTRA adds them.

Run: pip install wordfreq==3.1.1; apt-get install wamerican; python3 crates/market/data/make_common_words.py
"""
from pathlib import Path

import wordfreq

EXTRA = ["american", "americas", "european", "asian", "african", "pacific", "atlantic", "texas",
         "international", "national", "federal", "continental", "western", "eastern", "northern",
         "southern", "central", "global", "general", "united", "first", "standard", "universal"]


def main() -> None:
    top = wordfreq.top_n_list("en", 10000)
    lower = {w.strip() for w in open("/usr/share/dict/american-english", encoding="utf-8") if w.strip().islower()}
    words = sorted({w for w in top if w.isascii() and w.isalpha() and w in lower} | set(EXTRA))
    out = Path(__file__).resolve().parent / "common_words.txt"
    out.write_text("\n".join(words) + "\n")
    print(f"{len(words)} words -> {out}")


if __name__ == "__main__":
    main()
