// The project's own rule reports, and the suppressed error no longer fails the build.
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] src/main/policies/no-sid.json:4:5: warning ACME001 statement #0 has no Sid')
assert !log.contains('error KW200')
assert log.contains('keyward: 0 errors, 1 warning, 0 notes in 2 files (1 suppressed)')
