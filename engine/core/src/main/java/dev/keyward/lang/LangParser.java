package dev.keyward.lang;

import dev.keyward.lang.KeywardParser.AndExprContext;
import dev.keyward.lang.KeywardParser.CallPrimaryContext;
import dev.keyward.lang.KeywardParser.CompareExprContext;
import dev.keyward.lang.KeywardParser.ExprContext;
import dev.keyward.lang.KeywardParser.FieldExprContext;
import dev.keyward.lang.KeywardParser.IndexExprContext;
import dev.keyward.lang.KeywardParser.LiteralContext;
import dev.keyward.lang.KeywardParser.NotExprContext;
import dev.keyward.lang.KeywardParser.OrExprContext;
import dev.keyward.lang.KeywardParser.PrimaryContext;
import dev.keyward.lang.KeywardParser.QuantifierExprContext;
import dev.keyward.lang.KeywardParser.RelationExprContext;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;
import org.antlr.v4.runtime.Token;

/**
 * Parses Keyward source into the AST of this package. The only class that touches ANTLR types; parse
 * trees never leave it. Thread-safe (every call makes its own lexer and parser); never throws on bad
 * input: syntax errors come back as data with line, column and message.
 */
public final class LangParser {

  private LangParser() {}

  public static LangParser create() {
    return new LangParser();
  }

  /** Parses a lint rule's check. */
  public Parsed<CheckProgram> parseCheck(String source) {
    return run(source, p -> new Builder().checkProgram(p.checkProgram()));
  }

  /** Parses a query ({@code can ...} or {@code who can ...}). */
  public Parsed<Query> parseQuery(String source) {
    return run(source, p -> new Builder().query(p.query()));
  }

  /** Parses a policy-test file. */
  public Parsed<TestFile> parseTestFile(String source) {
    return run(source, p -> new Builder().testFile(p.testFile()));
  }

  /** Parses one expression. */
  public Parsed<Expr> parseExpression(String source) {
    return run(source, p -> new Builder().expr(p.standaloneExpr().expr()));
  }

  /**
   * Parses a message template: text with {@code {expr}} holes; {@code {{} and {@code }}} are literal
   * braces. {@code at} is where the template's text starts, for error positions.
   */
  public Parsed<Template> parseTemplate(String text, Pos at) {
    List<Template.Part> parts = new ArrayList<>();
    List<SyntaxError> errors = new ArrayList<>();
    StringBuilder literal = new StringBuilder();
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c == '{' && i + 1 < text.length() && text.charAt(i + 1) == '{') {
        literal.append('{');
        i += 2;
      } else if (c == '}' && i + 1 < text.length() && text.charAt(i + 1) == '}') {
        literal.append('}');
        i += 2;
      } else if (c == '{') {
        int end = closingBrace(text, i);
        if (end < 0) {
          errors.add(new SyntaxError(at.line(), at.column() + i, "unclosed `{` in message"));
          break;
        }
        if (literal.length() > 0) {
          parts.add(new Template.Text(literal.toString()));
          literal.setLength(0);
        }
        String inner = text.substring(i + 1, end);
        Parsed<Expr> e = parseExpression(inner);
        if (e.ok()) {
          // NOTE: positions inside a hole are relative to the hole; errors above are shifted onto the template.
          parts.add(new Template.Hole(e.value()));
        } else {
          for (SyntaxError err : e.errors()) {
            errors.add(new SyntaxError(at.line(), at.column() + i + err.column(), "in message: "
                + err.message()));
          }
        }
        i = end + 1;
      } else if (c == '}') {
        errors.add(new SyntaxError(at.line(), at.column() + i, "unmatched `}` in message; write `}}` for a brace"));
        i++;
      } else {
        literal.append(c);
        i++;
      }
    }
    if (literal.length() > 0) {
      parts.add(new Template.Text(literal.toString()));
    }
    return new Parsed<>(errors.isEmpty() ? new Template(parts, at) : null, errors);
  }

  private static int closingBrace(String text, int open) {
    int depth = 0;
    boolean inString = false;
    for (int j = open; j < text.length(); j++) {
      char c = text.charAt(j);
      if (inString) {
        if (c == '\\') {
          j++;
        } else if (c == '"') {
          inString = false;
        }
      } else if (c == '"') {
        inString = true;
      } else if (c == '{') {
        depth++;
      } else if (c == '}') {
        depth--;
        if (depth == 0) {
          return j;
        }
      }
    }
    return -1;
  }

  private static <T> Parsed<T> run(String source, Function<KeywardParser, T> entry) {
    List<SyntaxError> errors = new ArrayList<>();
    BaseErrorListener listener = new BaseErrorListener() {
      @Override
      public void syntaxError(Recognizer<?, ?> recognizer, Object offending, int line, int col,
          String msg, RecognitionException e) {
        errors.add(new SyntaxError(line, col + 1, friendly(msg, offending)));
      }
    };
    KeywardLexer lexer = new KeywardLexer(CharStreams.fromString(source));
    lexer.removeErrorListeners();
    lexer.addErrorListener(listener);
    CommonTokenStream tokens = new CommonTokenStream(lexer);
    tokens.fill();
    SyntaxError tooDeep = tooDeep(tokens.getTokens());
    if (tooDeep != null) {
      // The parser is recursive descent: very deep brackets would overflow the stack (or take minutes).
      errors.add(tooDeep);
      return new Parsed<>(null, errors);
    }
    KeywardParser parser = new KeywardParser(tokens);
    parser.removeErrorListeners();
    parser.addErrorListener(listener);
    T value;
    try {
      value = entry.apply(parser);
    } catch (TemplateErrors e) {
      errors.addAll(e.errors);
      value = null;
    } catch (RuntimeException e) {
      // INVARIANT: the builder only fails on trees that already have syntax errors (missing children).
      if (errors.isEmpty()) {
        throw e;
      }
      value = null;
    }
    return new Parsed<>(errors.isEmpty() ? value : null, errors);
  }

  /** Brackets nested deeper than this are a syntax error (no real check or test comes close). */
  static final int MAX_NESTING = 100;

  /** The first bracket that opens more than {@link #MAX_NESTING} levels, as an error; null when none does. */
  private static SyntaxError tooDeep(List<Token> tokens) {
    int depth = 0;
    for (Token t : tokens) {
      String text = t.getType() == Token.EOF ? "" : t.getText();
      if (text.equals("(") || text.equals("[") || text.equals("{")) {
        depth++;
        if (depth > MAX_NESTING) {
          return new SyntaxError(t.getLine(), t.getCharPositionInLine() + 1,
              "brackets are nested deeper than " + MAX_NESTING + " levels");
        }
      } else if (text.equals(")") || text.equals("]") || text.equals("}")) {
        depth = Math.max(0, depth - 1);
      }
    }
    return null;
  }

  /** Rewrites ANTLR's messages into Keyward's message style. */
  static String friendly(String msg, Object offending) {
    String m = msg;
    if (offending instanceof Token) {
      Token t = (Token) offending;
      if (t.getType() == KeywardLexer.ERROR_CHAR) {
        return "unexpected character `" + t.getText() + "`";
      }
      if (t.getType() == Token.EOF && m.startsWith("mismatched input '<EOF>'")) {
        m = "unexpected end of input" + m.substring("mismatched input '<EOF>'".length());
      }
    }
    m = m.replace("extraneous input", "unexpected")
        .replace("mismatched input", "unexpected")
        .replace("no viable alternative at input", "cannot parse")
        .replace("token recognition error at:", "unexpected character")
        .replace("'<EOF>'", "end of input")
        .replace("<EOF>", "end of input");
    m = m.replaceAll("'([^']*)'", "`$1`");
    m = m.replace("\n", "\\n").replace("\r", "\\r");
    return m;
  }

  static Pos pos(ParserRuleContext ctx) {
    return pos(ctx.getStart());
  }

  static Pos pos(Token t) {
    return new Pos(t.getLine(), t.getCharPositionInLine() + 1);
  }

  /** Unescapes a STRING token: strips the quotes and resolves {@code \" \\ \n \t}. */
  static String unquote(String token) {
    String body = token.substring(1, token.length() - 1);
    if (body.indexOf('\\') < 0) {
      return body;
    }
    StringBuilder b = new StringBuilder(body.length());
    for (int i = 0; i < body.length(); i++) {
      char c = body.charAt(i);
      if (c == '\\' && i + 1 < body.length()) {
        char n = body.charAt(++i);
        switch (n) {
          case 'n': b.append('\n'); break;
          case 't': b.append('\t'); break;
          default: b.append(n); break;
        }
      } else {
        b.append(c);
      }
    }
    return b.toString();
  }

  /** Parse tree to AST. */
  private final class Builder {

    CheckProgram checkProgram(KeywardParser.CheckProgramContext ctx) {
      List<CheckProgram.Definition> defs = new ArrayList<>();
      for (KeywardParser.DefinitionContext d : ctx.definition()) {
        defs.add(new CheckProgram.Definition(d.name.getText(), expr(d.expr()), pos(d)));
      }
      List<CheckProgram.ReportBlock> blocks = new ArrayList<>();
      for (KeywardParser.ReportBlockContext b : ctx.reportBlock()) {
        List<CheckProgram.Step> steps = new ArrayList<>();
        for (KeywardParser.StepContext s : b.step()) {
          if (s instanceof KeywardParser.ForStepContext) {
            KeywardParser.ForStepContext f = (KeywardParser.ForStepContext) s;
            steps.add(new CheckProgram.ForStep(f.name.getText(), expr(f.expr()), pos(f)));
          } else if (s instanceof KeywardParser.WhereStepContext) {
            KeywardParser.WhereStepContext w = (KeywardParser.WhereStepContext) s;
            steps.add(new CheckProgram.WhereStep(expr(w.expr()), pos(w)));
          } else {
            KeywardParser.LetStepContext l = (KeywardParser.LetStepContext) s;
            steps.add(new CheckProgram.LetStep(l.name.getText(), expr(l.expr()), pos(l)));
          }
        }
        Pos mpos = pos(b.message);
        Parsed<Template> t = parseTemplate(unquote(b.message.getText()), new Pos(mpos.line(), mpos.column() + 1));
        if (!t.ok()) {
          throw new TemplateErrors(t.errors());
        }
        blocks.add(new CheckProgram.ReportBlock(steps, expr(b.target), t.value(), pos(b)));
      }
      return new CheckProgram(defs, blocks);
    }

    Query query(KeywardParser.QueryContext ctx) {
      if (ctx.canQuery() != null) {
        KeywardParser.CanQueryContext c = ctx.canQuery();
        return new Query.Can(term(c.principal), term(c.action), term(c.resource), context(c.contextClause()), pos(c));
      }
      KeywardParser.WhoCanQueryContext w = ctx.whoCanQuery();
      return new Query.WhoCan(term(w.action), term(w.resource), context(w.contextClause()), pos(w));
    }

    TestFile testFile(KeywardParser.TestFileContext ctx) {
      String world = ctx.worldClause() == null ? null : unquote(ctx.worldClause().path.getText());
      List<TestFile.TestCase> tests = new ArrayList<>();
      for (KeywardParser.TestCaseContext t : ctx.testCase()) {
        List<TestFile.Expectation> exps = new ArrayList<>();
        for (KeywardParser.ExpectationContext e : t.expectation()) {
          exps.add(expectation(e));
        }
        tests.add(new TestFile.TestCase(unquote(t.name.getText()), exps, pos(t)));
      }
      return new TestFile(world, ctx.worldClause() == null ? null : pos(ctx.worldClause()), tests);
    }

    private TestFile.Expectation expectation(KeywardParser.ExpectationContext e) {
      if (e instanceof KeywardParser.DecisionExpectationContext) {
        KeywardParser.DecisionExpectationContext d = (KeywardParser.DecisionExpectationContext) e;
        TestFile.ExpectedDecision dec = d.decision.getType() == KeywardLexer.ALLOW ? TestFile.ExpectedDecision.ALLOW
            : d.decision.getType() == KeywardLexer.DENY ? TestFile.ExpectedDecision.DENY
            : TestFile.ExpectedDecision.EXPLICIT_DENY;
        return new TestFile.Decision(dec, term(d.principal), term(d.action), term(d.resource),
            context(d.contextClause()), pos(d));
      }
      if (e instanceof KeywardParser.OnlyExpectationContext) {
        KeywardParser.OnlyExpectationContext o = (KeywardParser.OnlyExpectationContext) e;
        List<Query.Term> ps = new ArrayList<>();
        // INVARIANT: the principals are the terms before action and resource.
        List<KeywardParser.TermContext> all = o.term();
        for (int i = 0; i < all.size() - 2; i++) {
          ps.add(term(all.get(i)));
        }
        return new TestFile.Only(ps, term(o.action), term(o.resource), context(o.contextClause()), pos(o));
      }
      if (e instanceof KeywardParser.NobodyOutsideExpectationContext) {
        KeywardParser.NobodyOutsideExpectationContext n = (KeywardParser.NobodyOutsideExpectationContext) e;
        return new TestFile.NobodyOutside(n.scope.getText(), term(n.id), term(n.action), term(n.resource),
            context(n.contextClause()), pos(n));
      }
      KeywardParser.CheckExpectationContext c = (KeywardParser.CheckExpectationContext) e;
      return new TestFile.CheckClean(term(c.analysis), pos(c));
    }

    private List<Expr.Entry> context(KeywardParser.ContextClauseContext c) {
      if (c == null) {
        return List.of();
      }
      return ((Expr.MapExpr) map(c.mapLiteral())).entries();
    }

    private Query.Term term(KeywardParser.TermContext t) {
      if (t.STRING() != null) {
        return new Query.Term(unquote(t.STRING().getText()), true, pos(t));
      }
      return new Query.Term(t.getText(), false, pos(t));
    }

    Expr expr(ExprContext ctx) {
      Pos p = pos(ctx);
      if (ctx instanceof FieldExprContext) {
        FieldExprContext f = (FieldExprContext) ctx;
        return new Expr.Field(expr(f.expr()), f.fieldName().getText(), pos(f.fieldName()));
      }
      if (ctx instanceof IndexExprContext) {
        IndexExprContext i = (IndexExprContext) ctx;
        return new Expr.Index(expr(i.expr(0)), expr(i.index), p);
      }
      if (ctx instanceof RelationExprContext) {
        RelationExprContext r = (RelationExprContext) ctx;
        boolean neg = r.negated != null;
        Expr.BinaryOp op;
        switch (r.op.getType()) {
          case KeywardLexer.IN: op = neg ? Expr.BinaryOp.NOT_IN : Expr.BinaryOp.IN; break;
          case KeywardLexer.COVERS: op = neg ? Expr.BinaryOp.NOT_COVERS : Expr.BinaryOp.COVERS; break;
          case KeywardLexer.WITHIN: op = neg ? Expr.BinaryOp.NOT_WITHIN : Expr.BinaryOp.WITHIN; break;
          case KeywardLexer.OVERLAPS: op = neg ? Expr.BinaryOp.NOT_OVERLAPS : Expr.BinaryOp.OVERLAPS; break;
          default: op = neg ? Expr.BinaryOp.NOT_MATCHES : Expr.BinaryOp.MATCHES; break;
        }
        return new Expr.Binary(op, expr(r.left), expr(r.right), pos(r.op));
      }
      if (ctx instanceof CompareExprContext) {
        CompareExprContext c = (CompareExprContext) ctx;
        Expr.BinaryOp op;
        switch (c.op.getType()) {
          case KeywardLexer.EQ: op = Expr.BinaryOp.EQ; break;
          case KeywardLexer.NEQ: op = Expr.BinaryOp.NEQ; break;
          case KeywardLexer.LT: op = Expr.BinaryOp.LT; break;
          case KeywardLexer.LE: op = Expr.BinaryOp.LE; break;
          case KeywardLexer.GT: op = Expr.BinaryOp.GT; break;
          default: op = Expr.BinaryOp.GE; break;
        }
        return new Expr.Binary(op, expr(c.left), expr(c.right), pos(c.op));
      }
      if (ctx instanceof NotExprContext) {
        return new Expr.Not(expr(((NotExprContext) ctx).expr()), p);
      }
      if (ctx instanceof AndExprContext) {
        AndExprContext a = (AndExprContext) ctx;
        return new Expr.Binary(Expr.BinaryOp.AND, expr(a.left), expr(a.right), pos(a.AND().getSymbol()));
      }
      if (ctx instanceof OrExprContext) {
        OrExprContext o = (OrExprContext) ctx;
        return new Expr.Binary(Expr.BinaryOp.OR, expr(o.left), expr(o.right), pos(o.OR().getSymbol()));
      }
      if (ctx instanceof QuantifierExprContext) {
        QuantifierExprContext q = (QuantifierExprContext) ctx;
        Expr.QuantifierKind kind = q.quantifier.getType() == KeywardLexer.ANY ? Expr.QuantifierKind.ANY
            : q.quantifier.getType() == KeywardLexer.ALL ? Expr.QuantifierKind.ALL : Expr.QuantifierKind.NONE;
        return new Expr.Quantifier(kind, q.var.getText(), expr(q.collection), expr(q.body), p);
      }
      return primary(((KeywardParser.PrimaryExprContext) ctx).primary());
    }

    private Expr primary(PrimaryContext ctx) {
      Pos p = pos(ctx);
      if (ctx instanceof KeywardParser.ParenPrimaryContext) {
        return expr(((KeywardParser.ParenPrimaryContext) ctx).expr());
      }
      if (ctx instanceof CallPrimaryContext) {
        CallPrimaryContext c = (CallPrimaryContext) ctx;
        List<Expr> args = new ArrayList<>();
        for (ExprContext a : c.expr()) {
          args.add(expr(a));
        }
        return new Expr.Call(c.function.getText(), args, p);
      }
      if (ctx instanceof KeywardParser.VariablePrimaryContext) {
        return new Expr.Var(ctx.getText(), p);
      }
      return literal(((KeywardParser.LiteralPrimaryContext) ctx).literal());
    }

    private Expr literal(LiteralContext ctx) {
      Pos p = pos(ctx);
      if (ctx instanceof KeywardParser.StringLiteralContext) {
        return new Expr.StringLit(unquote(ctx.getText()), p);
      }
      if (ctx instanceof KeywardParser.NumberLiteralContext) {
        return new Expr.NumberLit(ctx.getText(), p);
      }
      if (ctx instanceof KeywardParser.TrueLiteralContext) {
        return new Expr.BoolLit(true, p);
      }
      if (ctx instanceof KeywardParser.FalseLiteralContext) {
        return new Expr.BoolLit(false, p);
      }
      if (ctx instanceof KeywardParser.NullLiteralContext) {
        return new Expr.NullLit(p);
      }
      if (ctx instanceof KeywardParser.ComprehensionLitContext) {
        KeywardParser.ComprehensionContext c = ((KeywardParser.ComprehensionLitContext) ctx).comprehension();
        List<Expr.Clause> clauses = new ArrayList<>();
        for (KeywardParser.CompForContext f : c.compFor()) {
          clauses.add(new Expr.Clause(f.var.getText(), expr(f.collection),
              f.condition == null ? null : expr(f.condition)));
        }
        return new Expr.Comprehension(expr(c.element), clauses, p);
      }
      if (ctx instanceof KeywardParser.ListLitContext) {
        List<Expr> items = new ArrayList<>();
        for (ExprContext e : ((KeywardParser.ListLitContext) ctx).listLiteral().expr()) {
          items.add(expr(e));
        }
        return new Expr.ListExpr(items, p);
      }
      return map(((KeywardParser.MapLitContext) ctx).mapLiteral());
    }

    private Expr map(KeywardParser.MapLiteralContext ctx) {
      List<Expr.Entry> entries = new ArrayList<>();
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (KeywardParser.MapEntryContext e : ctx.mapEntry()) {
        String key = unquote(e.key.getText());
        if (!seen.add(key)) {
          // A map (and an encryption context) holds each key once; a repeated one would silently lose a value.
          Pos at = pos(e.key);
          throw new TemplateErrors(List.of(new SyntaxError(at.line(), at.column(), "duplicate key `" + key
              + "` in a map; give each key once")));
        }
        entries.add(new Expr.Entry(key, expr(e.value)));
      }
      return new Expr.MapExpr(entries, pos(ctx));
    }
  }

  /** Carries message-template errors out of the builder. */
  private static final class TemplateErrors extends RuntimeException {
    final List<SyntaxError> errors;

    TemplateErrors(List<SyntaxError> errors) {
      super(null, null, false, false);
      this.errors = errors;
    }
  }
}
