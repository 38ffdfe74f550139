"""Derives given-names.txt and surnames.txt (NAME gazetteers) for frostbyte-policy.

Inputs (neither is shipped or needed at run time):
  - the *.yml locale files of net.datafaker:datafaker 2.7.0 (Apache License 2.0), unzipped into the current folder:
      unzip ~/.m2/repository/net/datafaker/datafaker/2.7.0/datafaker-2.7.0.jar '*.yml'
  - /usr/share/dict/american-english (Debian package wamerican, SCOWL): words spelt in lower case there are common
    English words and are dropped, so 'will', 'may' or 'bank' never count as a name.
Run: python3 derive.py OUT_DIR   (needs PyYAML)
"""
import collections, glob, re, sys, unicodedata
import yaml

def walk(node, out):
    if isinstance(node, list):
        for v in node:
            if isinstance(v, str):
                out.add(v)
    elif isinstance(node, dict):
        for v in node.values():
            walk(v, out)

first, last = set(), set()
for f in sorted([f for f in glob.glob('*.yml') if not f.startswith('_')] + ['en/name.yml']):
    data = yaml.safe_load(open(f, encoding='utf-8'))
    for v in data.values():
        name = v.get('faker', {}).get('name') if isinstance(v, dict) else None
        if not isinstance(name, dict):
            continue
        for key, values in name.items():
            target = first if 'first_name' in key else last if 'last_name' in key else None
            if target is None:
                continue
            found = set()
            walk(values, found)
            for value in found:
                if '#{' in value:
                    continue
                for token in value.split():
                    token = token.strip('.,')
                    if len(token) >= 2 and all(c.isalpha() or c in "'-\u2019" for c in token):
                        target.add(token.lower())

latin = lambda w: all('LATIN' in unicodedata.name(c, '') or c in "'-\u2019" for c in w)
english = {w[:-2] if w.endswith("'s") else w
           for w in (l.strip() for l in open('/usr/share/dict/american-english', encoding='utf-8')) if w.islower()}
out = sys.argv[1] if len(sys.argv) > 1 else '.'
for name, words in (('given', first), ('surnames', last)):
    kept = sorted(w for w in words if latin(w) and w not in english)
    open(f'{out}/{name}.clean.txt', 'w', encoding='utf-8').write('\n'.join(kept) + '\n')
    print(name, len(kept))
