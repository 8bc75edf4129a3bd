"""Innovators named for an innovation: 'inovator X, Person', 'digagas oleh Person'.

The cue words, titles and name particles are data: ``corpora/patterns/people.json``.
"""
from __future__ import annotations

import re
from dataclasses import dataclass


@dataclass(frozen=True)
class PeopleRules:
    innovator: re.Pattern
    initiated_by: re.Pattern
    stop: re.Pattern
    titles: frozenset[str] = frozenset()
    particles: frozenset[str] = frozenset()
    max_words: int = 7  # a longer run of capitalised words is no person's name
    innovator_with: re.Pattern = re.compile("(?!)")  # 'dengan inovator ' right before a person

    @classmethod
    def from_data(cls, data: dict) -> "PeopleRules":
        return cls(re.compile(data["innovator_regex"]), re.compile(data["initiated_by_regex"]),
                   re.compile(data["person_stop_regex"]),
                   frozenset(t.casefold() for t in data.get("titles", [])),
                   frozenset(data.get("name_particles", [])), int(data["max_person_words"]),
                   re.compile(data.get("innovator_with_regex") or "(?!)"))


def is_named_innovator(s: str, start: int, rules: PeopleRules) -> bool:
    """Whether the span at ``start`` follows 'dengan inovator': a person, not an innovation."""
    return bool(rules.innovator_with.search(s, max(0, start - 40), start))


_WORD = re.compile(r"\S+")


def person_at(s: str, pos: int, rules: PeopleRules) -> str:
    """The person named at pos: titles and capitalised words (with name particles such as
    'bin') up to the first other word or a stop word/punctuation; '' if none."""
    m = rules.stop.search(s, pos)
    end = m.start() if m else len(s)
    words: list[str] = []
    for w in _WORD.findall(s[pos:end]):
        bare = w.rstrip(",.")
        if not bare:
            break
        is_title = w.casefold() in rules.titles or bare.casefold() in rules.titles
        if not (is_title or bare[:1].isupper() or (words and bare in rules.particles)):
            break
        words.append(w)
        if w.endswith(",") and not is_title:  # a comma ends the name ("Rini Andriani, mengaku")
            break
    while words and words[-1].rstrip(",.") in rules.particles:
        words.pop()
    person = " ".join(words).strip(" ,")
    if not words or len(words) > rules.max_words or all(w.casefold() in rules.titles for w in words):
        return ""
    return person.rstrip(".") if not person.endswith((" dr.", " drg.")) else person


def innovator_of(s: str, name_end: int, rules: PeopleRules) -> str:
    """'inovator X, Person': the person after the comma that follows the name."""
    if s[name_end:name_end + 1] != ",":
        return ""
    return person_at(s, name_end + 1, rules)


def initiated_by(s: str, rules: PeopleRules) -> list[tuple[int, str]]:
    """('digagas oleh Person') -> [(offset, person)]; the caller gives it to the nearest name before."""
    out = []
    for m in rules.initiated_by.finditer(s):
        p = person_at(s, m.end(), rules)
        if p:
            out.append((m.start(), p))
    return out
