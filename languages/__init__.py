"""Languages and scripts: English, Serbian Cyrillic, Serbian Latin.

The bottom room beside kernel: every app may import it; it imports no
project app but kernel. One transliteration module (`transliteration`)
serves content, names, search folding and the interface.
"""
