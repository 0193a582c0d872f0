// Outline and breadcrumbs, Go to Definition and Find All References for kubeconfigs, from the model's
// spans (kubeconfigLinks.ts). The model is the one hover and diagnostics parse, loaded on first use.
import * as vscode from 'vscode';
import type { Span } from '../../core/findings/finding';
import type { EntryKind, KubeconfigDocument } from '../../core/kubeconfig/model';
import type { Ctx } from '../ctx';
import { KUBECONFIG_SELECTOR, type KubeconfigDocuments } from '../kubeconfig/documents';
import { definitionAt, outline, referencesAt } from './kubeconfigLinks';

const SYMBOL_KIND: Record<EntryKind, vscode.SymbolKind> = {
  cluster: vscode.SymbolKind.Module,
  user: vscode.SymbolKind.Object,
  context: vscode.SymbolKind.Class,
};

function range(doc: vscode.TextDocument, span: Span): vscode.Range {
  return new vscode.Range(doc.positionAt(span.start), doc.positionAt(span.end));
}

export function registerNavigation(ctx: Ctx, documents: KubeconfigDocuments): void {
  const parsed = async (doc: vscode.TextDocument): Promise<KubeconfigDocument | undefined> => {
    if (!documents.isKubeconfig(doc)) return undefined;
    return (await documents.load()).snapshot(doc).document;
  };

  ctx.own(
    vscode.languages.registerDocumentSymbolProvider(
      KUBECONFIG_SELECTOR,
      {
        async provideDocumentSymbols(doc) {
          const model = await parsed(doc);
          if (!model) return undefined;
          const symbols = outline(model).map((group) => {
            const first = group.entries[0];
            const symbol = new vscode.DocumentSymbol(
              group.key,
              '',
              vscode.SymbolKind.Array,
              range(doc, group.span),
              range(doc, first.nameSpan.end > first.nameSpan.start ? first.nameSpan : first.span),
            );
            symbol.children = group.entries.map((entry) => {
              const whole = range(doc, entry.span);
              const name = range(doc, entry.nameSpan);
              return new vscode.DocumentSymbol(
                entry.name,
                group.kind,
                SYMBOL_KIND[group.kind],
                whole,
                whole.contains(name) ? name : whole,
              );
            });
            return symbol;
          });
          const current = model.currentContext;
          if (current && typeof current.value === 'string') {
            const whole = new vscode.Range(
              doc.positionAt(current.keySpan.start),
              doc.positionAt(current.span.end),
            );
            symbols.push(
              new vscode.DocumentSymbol(
                'current-context',
                current.value,
                vscode.SymbolKind.Property,
                whole,
                range(doc, current.span),
              ),
            );
          }
          return symbols;
        },
      },
      { label: 'Kube Certs' },
    ),
  );

  ctx.own(
    vscode.languages.registerDefinitionProvider(KUBECONFIG_SELECTOR, {
      async provideDefinition(doc, position) {
        const model = await parsed(doc);
        const span = model && definitionAt(model, doc.offsetAt(position));
        return span ? new vscode.Location(doc.uri, range(doc, span)) : undefined;
      },
    }),
  );

  ctx.own(
    vscode.languages.registerReferenceProvider(KUBECONFIG_SELECTOR, {
      async provideReferences(doc, position, context) {
        const model = await parsed(doc);
        if (!model) return undefined;
        return referencesAt(model, doc.offsetAt(position), context.includeDeclaration).map(
          (span) => new vscode.Location(doc.uri, range(doc, span)),
        );
      },
    }),
  );
}
