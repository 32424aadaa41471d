"""The rules of numbers, caller IDs and applications: pure Python with no I/O."""
