// An error finding fails the build and shows in the log as file:line:column with its rule id.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] src/main/policies/open-key.json:14:20: error KW200 statement Everyone allows any principal')
assert log.contains('keyward: policy findings at or above `error`')
