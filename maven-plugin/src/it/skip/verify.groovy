// -Dkeyward.skip skips both goals: the policy with an error does not fail the build.
def log = new File(basedir, 'build.log').text
assert log.contains('keyward: lint skipped (keyward.skip)')
assert log.contains('keyward: policy tests skipped (keyward.skip)')
assert !log.contains('KW200')
