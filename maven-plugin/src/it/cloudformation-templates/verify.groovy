// Templates are linted from src/main/cloudformation by default and from the globs the project names, at the
// template's own lines: a misspelt action beside a !GetAtt resource, and a key policy that gives another
// account an operation KMS never allows across accounts.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] src/main/cloudformation/data-key.yaml:31:26: error KW051 `kms:Decrpyt` matches no action of `kms`; did you mean `kms:Decrypt`?')
assert log.contains('[WARNING] infra/stacks/partner-key.yaml:18:35: warning KW107 `kms:ScheduleKeyDeletion` does not work across accounts')
assert !log.contains('unknown until deployment')
assert log.contains('keyward: policy findings at or above `error`')
assert new File(basedir, "target/keyward/lint.sarif").text.contains('"ruleId" : "KW051"')
