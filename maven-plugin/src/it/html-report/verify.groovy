// formats=sarif,html with a world: the page is written next to the SARIF and shows the world's graph.
def log = new File(basedir, 'build.log').text
assert log.contains('keyward: 0 errors')
assert new File(basedir, 'target/keyward/lint.sarif').isFile()
def html = new File(basedir, 'target/keyward/lint.html')
assert html.isFile()
def text = html.text
assert text.contains('<title>Keyward report: src/main/world/world.yaml</title>')
assert (text =~ /data-kind="principal"/).count == 2
assert (text =~ /data-kind="key"/).count == 1
assert text.contains('gives access outside account 111111111111')
assert !(text =~ /(src|href)="https?:/)
