// A failing policy test fails the build, says what was expected and decided, and is in the JUnit report.
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] FAIL  src/test/policies/data-key.kwtest:3  the app decrypts')
assert log.contains('expected allow for arn:aws:iam::111111111111:role/App kms:Decrypt alias/data, but the evaluator decided IMPLICIT_DENY')
assert log.contains('keyward: 1 policy test failed (the app decrypts)')
def junit = new File(basedir, 'target/keyward/TEST-keyward-policy-tests.xml').text
assert junit.contains('<failure message="expected allow for arn:aws:iam::111111111111:role/App')
