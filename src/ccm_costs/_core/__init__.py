"""The exact core: numbers, money, the one rounding rule, bounds, published rates, the engine.

Nothing here reads a shipped file, does I/O or imports pandas or openpyxl (an import-linter
contract checks it); every function takes plain integers, ``Fraction``s and ISO3-keyed
mappings and returns exact results.
"""
