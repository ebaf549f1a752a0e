// The Keyward language: rule checks, policy tests and queries share one lexer and one expression syntax.
// This file is the only place the syntax is defined; the engine's dev.keyward.lang package turns parse
// trees into its own immutable AST, and nothing else touches ANTLR types.
grammar Keyward;

// ==== entry points ================================================================================

/**
 * A lint rule's check: shared definitions, then one or more report blocks. A block is a pipeline of
 * steps (for / where / let) that ends in `report TARGET "message"`; every binding that reaches the
 * report yields one finding at TARGET's location.
 */
checkProgram : definition* reportBlock+ EOF ;

definition  : DEF name=IDENT ASSIGN expr ;
reportBlock : step* REPORT target=expr message=STRING ;

step
    : FOR name=IDENT IN expr        # forStep
    | WHERE expr                    # whereStep
    | LET name=IDENT ASSIGN expr    # letStep
    ;

/** A query: `can P A R [with context {...}]`, `who can A R [with context {...}]`. */
query : (canQuery | whoCanQuery) EOF ;

canQuery    : CAN principal=term action=term resource=term contextClause? ;
whoCanQuery : WHO CAN action=term resource=term contextClause? ;

contextClause : WITH CONTEXT mapLiteral ;

/** A policy-test file (issue 6): a world, then named tests holding expectations. */
testFile : worldClause? testCase* EOF ;

worldClause : WORLD path=STRING ;
testCase    : TEST name=STRING LBRACE expectation* RBRACE ;

expectation
    : EXPECT decision=(ALLOW | DENY | EXPLICIT_DENY) principal=term action=term resource=term
        contextClause?                                                               # decisionExpectation
    | EXPECT ONLY LBRACK (term (COMMA term)*)? RBRACK CAN action=term resource=term
        contextClause?                                                               # onlyExpectation
    | EXPECT NOBODY OUTSIDE scope=(ACCOUNT | ORGANIZATION) id=term CAN action=term resource=term
        contextClause?                                                               # nobodyOutsideExpectation
    | EXPECT CHECK analysis=term CLEAN                                               # checkExpectation
    ;

/** A standalone expression (tests, REPL). */
standaloneExpr : expr EOF ;

// ==== expressions ==================================================================================
// Alternatives are listed from the tightest binding to the loosest. A quantifier's body extends as far
// to the right as possible: write `(any x in xs: p) and q` to combine it.

expr
    : expr DOT fieldName                                                     # fieldExpr
    | expr LBRACK index=expr RBRACK                                       # indexExpr
    | left=expr negated=NOT? op=(IN | COVERS | WITHIN | OVERLAPS | MATCHES) right=expr # relationExpr
    | left=expr op=(EQ | NEQ | LT | LE | GT | GE) right=expr              # compareExpr
    | NOT expr                                                            # notExpr
    | left=expr AND right=expr                                            # andExpr
    | left=expr OR right=expr                                             # orExpr
    | quantifier=(ANY | ALL | NONE) var=IDENT IN collection=expr COLON body=expr # quantifierExpr
    | primary                                                             # primaryExpr
    ;

primary
    : LPAREN expr RPAREN                                   # parenPrimary
    | function=IDENT LPAREN (expr (COMMA expr)*)? RPAREN   # callPrimary
    | IDENT                                                # variablePrimary
    | literal                                              # literalPrimary
    ;

literal
    : STRING          # stringLiteral
    | NUMBER          # numberLiteral
    | TRUE            # trueLiteral
    | FALSE           # falseLiteral
    | NULL            # nullLiteral
    | comprehension   # comprehensionLit
    | listLiteral     # listLit
    | mapLiteral      # mapLit
    ;

/** `[p.account for s in statements for p in s.principals where p.root]`. */
comprehension : LBRACK element=expr compFor+ RBRACK ;
compFor       : FOR var=IDENT IN collection=expr (WHERE condition=expr)? ;

listLiteral : LBRACK (expr (COMMA expr)* COMMA?)? RBRACK ;
mapLiteral  : LBRACE (mapEntry (COMMA mapEntry)* COMMA?)? RBRACE ;
mapEntry    : key=STRING COLON value=expr ;

/** A field name: an identifier, or a word that is a keyword elsewhere (`p.account`). */
fieldName : IDENT | softKeyword ;

/** A principal, action or resource in a query or test: quoted, a bare ARN-like word, or a short name. */
term : STRING | WORD | IDENT | NUMBER | softKeyword ;

softKeyword
    : ACCOUNT | ORGANIZATION | CHECK | CLEAN | ONLY | NOBODY | OUTSIDE | ALLOW | DENY | WORLD | TEST
    | CONTEXT | WHO | CAN | EXPECT
    ;

// ==== lexer =========================================================================================

DEF      : 'def' ;
LET      : 'let' ;
FOR      : 'for' ;
WHERE    : 'where' ;
REPORT   : 'report' ;
ANY      : 'any' ;
ALL      : 'all' ;
NONE     : 'none' ;
AND      : 'and' ;
OR       : 'or' ;
NOT      : 'not' ;
IN       : 'in' ;
COVERS   : 'covers' ;
WITHIN   : 'within' ;
OVERLAPS : 'overlaps' ;
MATCHES  : 'matches' ;
TRUE     : 'true' ;
FALSE    : 'false' ;
NULL     : 'null' ;

CAN          : 'can' ;
WHO          : 'who' ;
WITH         : 'with' ;
CONTEXT      : 'context' ;
WORLD        : 'world' ;
TEST         : 'test' ;
EXPECT       : 'expect' ;
ALLOW        : 'allow' ;
DENY         : 'deny' ;
EXPLICIT_DENY: 'explicit-deny' ;
ONLY         : 'only' ;
NOBODY       : 'nobody' ;
OUTSIDE      : 'outside' ;
ACCOUNT      : 'account' ;
ORGANIZATION : 'organization' ;
CHECK        : 'check' ;
CLEAN        : 'clean' ;

EQ : '==' ; NEQ : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ; ASSIGN : '=' ;
LPAREN : '(' ; RPAREN : ')' ; LBRACK : '[' ; RBRACK : ']' ; LBRACE : '{' ; RBRACE : '}' ;
COMMA : ',' ; COLON : ':' ; DOT : '.' ;

STRING : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
NUMBER : '-'? [0-9]+ ( '.' [0-9]+ )? ;
IDENT  : [A-Za-z_] [A-Za-z0-9_]* ;
/**
 * A bare ARN, action or path in queries and tests: arn:aws:kms:us-east-1:111111111111:key/abc,
 * kms:Decrypt, alias/x, or a hyphenated name such as o-a1b2c3d4e5 or cross-account. An ARN-like word
 * must hold a `:` or `/` followed by another word character, so that `xs: body` in an expression still
 * lexes as IDENT COLON.
 */
WORD   : WORD_CHAR+ ( [:/]+ WORD_CHAR+ )+ [:/]?
       | [A-Za-z0-9_]+ ( '-' [A-Za-z0-9_]+ )+
       ;
fragment WORD_CHAR : [A-Za-z0-9_*?.@+=${}\-] ;

LINE_COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;

/** Anything else: reported as a syntax error by the parser, with its position. */
ERROR_CHAR : . ;
