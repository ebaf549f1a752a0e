// A warning is logged but does not fail the build under the default threshold (error).
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] src/main/policies/decrypt-all.json:7:17: warning KW300 ')
assert log.contains('keyward: 0 errors, 1 warning, 0 notes in 1 file')
