// The same warning fails the build under -Dkeyward.failOnSeverity=warning.
def log = new File(basedir, 'build.log').text
assert log.contains('[WARNING] src/main/policies/decrypt-all.json:7:17: warning KW300 ')
assert log.contains('keyward: policy findings at or above `warning`')
