// Clean policies pass, every report is written, the passing policy tests pass.
def log = new File(basedir, 'build.log').text
assert log.contains('keyward: 0 errors, 0 warnings, 0 notes in 2 files')
assert log.contains('keyward: 2 passed, 0 failed')
def sarif = new File(basedir, 'target/keyward/lint.sarif')
assert sarif.isFile()
assert sarif.text =~ /"version"\s*:\s*"2\.1\.0"/
assert new File(basedir, 'target/keyward/lint.json').isFile()
assert new File(basedir, 'target/keyward/lint.txt').isFile()
assert new File(basedir, 'target/keyward/TEST-keyward-policy-tests.xml').text.contains('tests="2" failures="0"')
