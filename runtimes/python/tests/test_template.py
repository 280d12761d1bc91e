import ast
import json
import os
import subprocess
import sys
import tempfile
import textwrap
import unittest

from faasten_runtime import template


def _preimport(workload, shipped=()):
    """Runs preimport_system_modules in a fresh interpreter; returns (preimported, loaded)."""
    with tempfile.TemporaryDirectory() as image:
        with open(os.path.join(image, "workload.py"), "w") as f:
            f.write(textwrap.dedent(workload))
        for name in shipped:
            with open(os.path.join(image, name), "w") as f:
                f.write("SHIPPED = True\n")
        script = textwrap.dedent(f"""
            import json, sys
            from faasten_runtime.template import preimport_system_modules
            done = preimport_system_modules({os.path.join(image, "workload.py")!r})
            print(json.dumps([done, sorted(sys.modules)]))
            """)
        out = subprocess.run([sys.executable, "-B", "-c", script], capture_output=True, text=True, check=True)
        done, loaded = json.loads(out.stdout)
        return done, set(loaded)


class ImportScanTests(unittest.TestCase):
    def names(self, source):
        return [n for node in ast.parse(textwrap.dedent(source)).body for n in template._imported(node)]

    def test_module_level_imports_in_order_packages_before_submodules(self):
        names = self.names("""
            import a.b, c
            from d.e import f, g
            from . import local
            try:
                import h
            except ImportError:
                import i
            if True:
                from j import *
            def handle(event, cloudcall):
                import inside_a_function
            """)
        self.assertEqual(names, ["a.b", "c", "d.e", "d.e.f", "d.e.g", "h", "i", "j"])


class PreimportTests(unittest.TestCase):
    def test_a_system_module_the_workload_imports_is_imported(self):
        done, loaded = _preimport("import colorsys\n")
        self.assertEqual(done, ["colorsys"])
        self.assertIn("colorsys", loaded)

    def test_a_name_the_image_ships_is_never_imported_from_the_system(self):
        done, loaded = _preimport("import colorsys\n", shipped=["colorsys.py"])
        self.assertEqual(done, [])
        self.assertNotIn("colorsys", loaded)

    def test_a_system_module_that_would_import_a_shipped_name_is_rolled_back(self):
        # fractions imports decimal; the image ships decimal.py, which a fresh VM would use.
        done, loaded = _preimport("import fractions\n", shipped=["decimal.py"])
        self.assertEqual(done, [])
        self.assertNotIn("fractions", loaded)
        self.assertNotIn("decimal", loaded)

    def test_a_missing_module_is_left_to_the_child(self):
        done, loaded = _preimport("import no_such_module_anywhere\nimport colorsys\n")
        self.assertEqual(done, ["colorsys"])

    def test_a_workload_that_does_not_parse_preimports_nothing(self):
        done, _ = _preimport("import colorsys\ndef broken(:\n")
        self.assertEqual(done, [])


if __name__ == "__main__":
    unittest.main()
