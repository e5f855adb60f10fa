import ts from 'typescript';

/** A function longer than the house allows: where it starts and how many lines it spans. */
export interface LongFunction {
  readonly name: string;
  readonly line: number;
  readonly lines: number;
}

/**
 * A declarative table is exempt from the length limit: a function whose whole body is one
 * object or array literal (returned, or an arrow's expression body).
 */
function isDeclarativeTable(node: ts.FunctionLikeDeclaration): boolean {
  const body = node.body;
  if (!body) return false;
  let value: ts.Node | undefined = body;
  if (ts.isBlock(body)) {
    const [only] = body.statements;
    value = body.statements.length === 1 && only && ts.isReturnStatement(only) ? only.expression : undefined;
  }
  while (value && ts.isParenthesizedExpression(value)) value = value.expression;
  return !!value && (ts.isObjectLiteralExpression(value) || ts.isArrayLiteralExpression(value));
}

function functionName(node: ts.FunctionLikeDeclaration, file: ts.SourceFile): string {
  if (node.name) return node.name.getText(file);
  const parent = node.parent;
  if (ts.isVariableDeclaration(parent) || ts.isPropertyAssignment(parent) || ts.isPropertyDeclaration(parent)) {
    return parent.name.getText(file);
  }
  return ts.isConstructorDeclaration(node) ? 'constructor' : '(anonymous)';
}

/** The functions in `source` that span more than `limit` lines, declarative tables aside. */
export function longFunctions(path: string, source: string, limit: number): LongFunction[] {
  const file = ts.createSourceFile(path, source, ts.ScriptTarget.Latest, true);
  const found: LongFunction[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isFunctionLike(node) && 'body' in node && node.body) {
      const fn = node as ts.FunctionLikeDeclaration;
      const first = file.getLineAndCharacterOfPosition(fn.getStart(file)).line;
      const last = file.getLineAndCharacterOfPosition(fn.getEnd()).line;
      if (last - first + 1 > limit && !isDeclarativeTable(fn)) {
        found.push({ name: functionName(fn, file), line: first + 1, lines: last - first + 1 });
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(file);
  return found;
}

/** How many lines `source` has (a final newline ends the last line, it does not start another). */
export function lineCount(source: string): number {
  return source.length === 0 ? 0 : source.split('\n').length - (source.endsWith('\n') ? 1 : 0);
}
