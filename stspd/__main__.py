from stspd.cli import entry

entry()
