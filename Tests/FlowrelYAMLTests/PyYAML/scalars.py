"""Writes how each scalar of CASES (YAML source text of a map value) is typed:

- `python3 scalars.py` (PyYAML 6, no Jina) writes scalars.json: PyYAML's SafeLoader;
- `/work/venv-jina/bin/python scalars.py jina` (Jina 3.34 installed) writes jina.json: what
  a Flow YAML value becomes in Jina, which patches PyYAML (on/off are not booleans) and
  passes every string through its parse_arg (JAML.expand_dict).

Run from this folder; the Swift test (PyYAMLScalarTests) reads the output and never needs
Python. Each entry: [text, type, value]; type is null, bool, int, float, str, list or
timestamp; value is JSON (floats as repr(), so nan and inf survive; ints as decimal text).
"""
import io
import json
import sys

import yaml

CASES = [
    # words
    "", "~", "null", "Null", "NULL", "nULL", "y", "Y", "n", "N", "yes", "Yes", "YES", "yEs", "no", "No", "NO",
    "true", "True", "TRUE", "tRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "oN",
    # integers
    "0", "-0", "+0", "7", "+7", "-7", "1_000", "1__0", "1_", "0017", "017", "08", "0_7", "00", "0o17", "0O17",
    "0x1F", "0x1f", "-0x1F", "0X1F", "0x_1", "0b101", "-0b101", "0b1_0", "0b2", "1:30", "-1:30", "1:30:00",
    "1:60", "1:5", "190:20:30", "0:30", "9223372036854775807", "-9223372036854775808", "9223372036854775808",
    "18446744073709551616", "0xFFFFFFFFFFFFFFFF", "123456789012345678901234567890",
    # floats
    "1.5", "-1.5", "+1.5", "1.", "1._5", ".5", "-.5", "+.5", "._5", "1e3", "1E3", "1e+3", "1.0e3", "1.0e+3",
    "1.0E-3", "1.e+3", ".5e+3", "1_000.5", "1:30.5", "-1:30.5", "1:30.", ".inf", ".Inf", ".INF", "-.inf",
    "+.inf", ".iNf", ".nan", ".NaN", ".NAN", "-.nan", "1.0e+400", "0.1", "3.14159265358979",
    # strings that look like something else
    "12:61", "1.2.3", "0x", "0b", "1e", "e3", "inf", "nan", "1,000", "+", ".", "..", "1-2",
    "v1", "3.34.0", "0.0.0.0", "127.0.0.1:8080", "grpc", "jinaai/jina:3.34.0", "1 2",
    # timestamps (PyYAML makes dates; flowrel keeps the text)
    "2024-01-02", "2024-1-2 10:20:30", "2024-01-02T10:20:30Z", "2024-01-02 10:20:30.5 +01:00",
    # quoted and other strings Jina's parse_arg reads again
    "'1e3'", '"7"', "'true'", "'TRUE'", "'tRuE'", "'False'", "''", "'  12  '", "'1_000'", "'1__0'", "'_1'",
    "'0x10'", "'inf'", "'-Infinity'", "'nan'", "'1.5e-3'", "'1_0.5'", "'[1, b, true]'", "'[]'", "'[[a], 2]'",
    "\"'x'\"", "'\"y\"'", "\"'z\\\"\"", "'0o17'", "'٣'", "'1e'", "'+5'", "'- 5'", "'0x1p3'", "'1.'", "'.5'",
    "'None'", "'null'", "'yes'", "'on'",
]


def load(text):
    source = "v: " + text + "\n" if text else "v:\n"
    if JINA:
        from jina.jaml import JAML

        return JAML.expand_dict(JAML.load_no_tags(io.StringIO(source)))["v"]
    return yaml.safe_load(source)["v"]


def typed(text):
    return [text, *typed_value(load(text))]


def typed_value(value):
    if value is None:
        return ["null", None]
    if isinstance(value, bool):
        return ["bool", value]
    if isinstance(value, int):
        return ["int", str(value)]
    if isinstance(value, float):
        return ["float", repr(value)]
    if isinstance(value, str):
        return ["str", value]
    if isinstance(value, list):
        return ["list", [typed_value(item) for item in value]]
    return ["timestamp", str(value)]


JINA = sys.argv[1:] == ["jina"]

if __name__ == "__main__":
    with open("jina.json" if JINA else "scalars.json", "w") as out:
        json.dump({"pyyaml": yaml.__version__, "cases": [typed(case) for case in CASES]}, out, indent=1)
        out.write("\n")
