// The Keyward language: queries, policy tests and rule checks share one lexer and expression syntax.
// This file is the only place the syntax is defined; the engine's lang package turns parse trees into
// its own AST, and nothing else touches ANTLR types.
grammar Keyward;

// ---- entry points -------------------------------------------------------------------------------

/** A query typed on the command line or in a REPL: `can P A R [with context {...}]`, `who can A R`. */
query
    : canQuery EOF
    | whoCanQuery EOF
    ;

canQuery    : CAN principal=term action=term resource=term contextClause? ;
whoCanQuery : WHO CAN action=term resource=term contextClause? ;

contextClause : WITH CONTEXT map ;

/** A standalone expression, as used by rule checks. */
standaloneExpr : expr EOF ;

// ---- expressions --------------------------------------------------------------------------------

expr
    : NOT expr                                   # notExpr
    | left=expr op=(EQ | NEQ | MATCHES | IN | LT | LE | GT | GE) right=expr  # compareExpr
    | left=expr AND right=expr                   # andExpr
    | left=expr OR right=expr                    # orExpr
    | primary                                    # primaryExpr
    ;

primary
    : LPAREN expr RPAREN                         # parenPrimary
    | name=IDENT LPAREN (expr (COMMA expr)*)? RPAREN  # callPrimary
    | path                                       # pathPrimary
    | literal                                    # literalPrimary
    ;

path : IDENT (DOT IDENT)* ;

literal : STRING | NUMBER | TRUE | FALSE | list | map ;
list : LBRACK (expr (COMMA expr)*)? RBRACK ;
map  : LBRACE (entry (COMMA entry)*)? RBRACE ;
entry : key=STRING COLON value=expr ;

/** A principal, action or resource: a quoted string or a bare word such as an ARN or a short name. */
term : STRING | WORD | IDENT ;

// ---- lexer --------------------------------------------------------------------------------------

CAN     : 'can' ;
WHO     : 'who' ;
WITH    : 'with' ;
CONTEXT : 'context' ;
AND     : 'and' ;
OR      : 'or' ;
NOT     : 'not' ;
IN      : 'in' ;
MATCHES : 'matches' ;
TRUE    : 'true' ;
FALSE   : 'false' ;

EQ : '==' ; NEQ : '!=' ; LE : '<=' ; GE : '>=' ; LT : '<' ; GT : '>' ;
LPAREN : '(' ; RPAREN : ')' ; LBRACK : '[' ; RBRACK : ']' ; LBRACE : '{' ; RBRACE : '}' ;
COMMA : ',' ; COLON : ':' ; DOT : '.' ;

STRING : '"' ( '\\' . | ~["\\\r\n] )* '"' ;
NUMBER : '-'? [0-9]+ ( '.' [0-9]+ )? ;
IDENT  : [A-Za-z_] [A-Za-z0-9_-]* ;
/** Bare ARNs and action names: arn:aws:kms:us-east-1:111111111111:key/abc, kms:Decrypt, alias/x. */
WORD   : [A-Za-z0-9_*?] [A-Za-z0-9_*?:/.@+=,${}-]* ;

LINE_COMMENT : '#' ~[\r\n]* -> skip ;
WS : [ \t\r\n]+ -> skip ;
