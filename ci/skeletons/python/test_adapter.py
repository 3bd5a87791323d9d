"""Checks of adapter.py's bytes rules and loop: python3 -m unittest test_adapter"""
import json
import os
import subprocess
import sys
import unittest

import adapter

HERE = os.path.dirname(os.path.abspath(__file__))


class Bytes(unittest.TestCase):
    def test_both_spellings_are_read(self):
        self.assertEqual(adapter.as_bytes("p≡p"), b"p\xe2\x89\xa1p")
        self.assertEqual(adapter.as_bytes({"$base64": "/w=="}), b"\xff")
        self.assertEqual(adapter.as_bytes({"$base64": ""}), b"")

    def test_malformed_bytes_are_bad_input(self):
        for bad in [{"$base64": "!"}, {"$base64": "/w"}, {"$base64": "aGk=", "x": 1}, {}, 1, None, "\ud800"]:
            with self.assertRaises(adapter.BadInput, msg=repr(bad)):
                adapter.as_bytes(bad)

    def test_results_are_strings_when_utf8(self):
        self.assertEqual(adapter.bytes_value(b"\xef\xbb\xbfa\r\n"), "\ufeffa\r\n")  # BOM kept
        self.assertEqual(adapter.bytes_value(b"\xff\xfe"), {"$base64": "//4="})
        self.assertEqual(adapter.bytes_value(b"\xed\xa0\x80"), {"$base64": "7aCA"})  # a surrogate is not UTF-8


class Loop(unittest.TestCase):
    def run_adapter(self, stdin):
        return subprocess.run([sys.executable, os.path.join(HERE, "adapter.py")], input=stdin,
                              capture_output=True, timeout=60, check=False)

    def test_every_line_is_answered_until_end_of_input(self):
        case = {"type": "case", "id": "a#b", "op": "pep.message.wrap",
                "input": {"message": "m", "recipient_key": {"$base64": "AAE="}, "sender_key": "", "version": "2.1"}}
        stdin = "\n".join([json.dumps({"type": "hello", "protocol": 1, "suite": {}}), "", json.dumps(case), "{"]) + "\n"
        done = self.run_adapter(stdin.encode())
        self.assertEqual(done.returncode, 0, done.stderr)
        lines = [json.loads(l) for l in done.stdout.decode("ascii").splitlines()]
        self.assertEqual(len(lines), 3)
        self.assertEqual(lines[0]["type"], "hello")
        self.assertEqual(lines[0]["ops"], list(adapter.OPS))
        self.assertEqual(lines[1], {"id": "a#b", "unsupported": "not implemented yet (bytes read: 1, 2, 0)"})
        self.assertEqual(lines[2]["error"]["code"], "mimispec.bad_request")

    def test_a_bad_member_is_bad_input_not_a_crash(self):
        case = {"type": "case", "id": "x", "op": "immi.message.parse", "input": {"message": {"$base64": "%"}}}
        done = self.run_adapter(json.dumps(case).encode())  # no final LF, as from a closed pipe
        self.assertEqual(done.returncode, 0, done.stderr)
        self.assertEqual(json.loads(done.stdout)["error"]["code"], "mimispec.bad_input")


if __name__ == "__main__":
    unittest.main()
