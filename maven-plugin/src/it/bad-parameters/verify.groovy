// A bad parameter value fails the build with one clear line naming the parameter and the accepted values
// (the invoker runs Maven with -e, so Maven itself adds its stack trace below that line).
def log = new File(basedir, 'build.log').text
assert log.contains('[ERROR] Failed to execute goal dev.keyward:keyward-maven-plugin')
assert log.contains('keyward: failOnSeverity `warnings` must be error, warning, note or none')
