import { strict as assert } from 'node:assert';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import path, { join } from 'node:path';
import { englishTemplate } from '../../../../../src/core/findings/finding';
import type { PkiInventory } from '../../../../../src/core/pki/inventory';
import { PkiScanner } from '../../../../../src/core/pki/scanner';
import { FsPkiTreeSource } from '../../../../../src/node/pki/fsSource';
import {
  describeItem,
  errorCount,
  itemIcon,
  tooltipRows,
} from '../../../../../src/extension/views/pki/pkiRows';
import { removeTree, writePkiVariant, type VariantName } from '../../../../fixtures/pkiVariants';

const NOW = new Date('2026-03-01T12:00:00Z');
const l10n = { t: englishTemplate };
const zhBundle = JSON.parse(
  readFileSync(path.resolve(__dirname, '../../../../../l10n/bundle.l10n.zh-cn.json'), 'utf8'),
) as Record<string, string>;
const zh = {
  t: (template: string, params: Readonly<Record<string, string | number>>) =>
    englishTemplate(zhBundle[template] ?? `UNTRANSLATED ${template}`, params),
};

async function inventoryOf(variant: VariantName, change?: (root: string) => void): Promise<PkiInventory> {
  const { root } = await writePkiVariant(variant, NOW);
  try {
    change?.(root);
    return await new PkiScanner(new FsPkiTreeSource({ configDir: root })).scan({ now: NOW, warnDays: 30 });
  } finally {
    removeTree(root);
  }
}

function item(inventory: PkiInventory, id: string) {
  const found = inventory.items.get(id);
  assert.ok(found, id);
  return found;
}

describe('PKI rows', () => {
  let healthy: PkiInventory;
  before(async () => {
    healthy = await inventoryOf('healthy');
  });

  it('colours a valid row by its worst finding: super-admin.conf with system:masters is a warning, not green', () => {
    const superAdmin = item(healthy, 'kubeconfig:super-admin.conf');
    assert.equal(superAdmin.state, 'ok');
    assert.deepEqual(itemIcon(superAdmin), { id: 'warning', color: 'list.warningForeground' });
    // A row without findings keeps its kind's icon, green.
    assert.deepEqual(itemIcon(item(healthy, 'kubeconfig:admin.conf')), {
      id: 'file-code',
      color: 'testing.iconPassed',
    });
    assert.deepEqual(itemIcon(item(healthy, 'ca:pki/ca.crt')), { id: 'shield', color: 'testing.iconPassed' });
  });

  it('lists in an externally managed CA tooltip only the files that exist, and names the missing key', async () => {
    const inventory = await inventoryOf('ca-key-removed');
    const ca = item(inventory, 'ca:pki/front-proxy-ca.crt');
    const rows = tooltipRows(ca, l10n);
    const labels = rows.map(([label]) => label);
    assert.ok(rows.some(([label, value]) => label === 'File' && value.endsWith('/pki/front-proxy-ca.crt')));
    assert.deepEqual(
      rows.filter(([label]) => label === 'Missing').map(([, value]) => value.replace(/^.*\/pki\//, 'pki/')),
      ['pki/front-proxy-ca.key'],
    );
    // No "Key: …/front-proxy-ca.key" file row: the only "Key" row is the certificate's public key.
    assert.deepEqual(
      rows.filter(([label, value]) => label === 'Key' && value.includes('/')),
      [],
    );
    assert.ok(labels.includes('Externally managed'));
    assert.deepEqual(itemIcon(ca), { id: 'lock', color: 'charts.blue' });
    // A CA with its key shows the key file.
    const withKey = tooltipRows(item(inventory, 'ca:pki/ca.crt'), l10n);
    assert.ok(withKey.some(([label, value]) => label === 'Key' && value.endsWith('/pki/ca.key')));
    assert.ok(!withKey.some(([label]) => label === 'Missing'));
  });

  it('puts the verdict alone in the description: MISSING, expired …, the residual time', async () => {
    const missingKubelet = await inventoryOf('healthy', (root) => rmSync(join(root, 'kubelet.conf')));
    const kubelet = item(missingKubelet, 'kubeconfig:kubelet.conf');
    assert.equal(describeItem(kubelet, NOW, l10n), 'MISSING');
    assert.ok(tooltipRows(kubelet, l10n).some(([label]) => label === 'Renewal'));
    assert.equal(describeItem(item(healthy, 'kubeconfig:kubelet.conf'), NOW, l10n), '1y');
    assert.equal(describeItem(item(healthy, 'ca:pki/ca.crt'), NOW, l10n), '10y');

    const expired = await inventoryOf('expired-leaf');
    assert.equal(describeItem(item(expired, 'cert:pki/apiserver.crt'), NOW, l10n), 'expired 35d ago');
    const externally = await inventoryOf('ca-key-removed');
    assert.equal(describeItem(item(externally, 'ca:pki/front-proxy-ca.crt'), NOW, l10n), '10y');
  });

  it('keeps every description of every row kind short enough for a 300 px side bar', async () => {
    const inventories = await Promise.all(
      (['healthy', 'expired-leaf', 'ca-regenerated', 'missing-file', 'ca-key-removed'] as const).map((v) =>
        inventoryOf(v),
      ),
    );
    for (const inventory of inventories) {
      for (const row of inventory.items.values()) {
        const description = describeItem(row, NOW, l10n);
        // Label and description share ~34 characters at 300 px after indent and icon.
        assert.ok(description.length <= 16, `${row.id}: "${description}"`);
        assert.ok(!description.includes('·'), `${row.id}: one verdict, not a list`);
      }
    }
  });

  it('counts for the activity bar badge the rows drawn red and the error findings of no row', async () => {
    assert.equal(errorCount([healthy]), 0);
    // The expired apiserver row.
    const expired = await inventoryOf('expired-leaf');
    assert.equal(errorCount([expired]), 1);
    // The MISSING front-proxy-client row (its pki-missing finding is only a warning) and the
    // kube-apiserver manifest naming the absent file.
    const missing = await inventoryOf('missing-file');
    assert.equal(errorCount([missing]), 2);
    assert.equal(errorCount([expired, undefined, missing]), 3);
  });

  it('says in the tooltip why a row is broken, in English and in zh-cn', async () => {
    const problem = (row: ReturnType<typeof item>, words: typeof l10n) =>
      tooltipRows(row, words).find(([label]) => label === words.t('Problem', {}))?.[1];
    const both = (row: ReturnType<typeof item>) => [problem(row, l10n), problem(row, zh)];

    assert.equal(problem(item(healthy, 'cert:pki/apiserver.crt'), l10n), undefined);
    const missing = await inventoryOf('missing-file');
    assert.deepEqual(both(item(missing, 'cert:pki/front-proxy-client.crt')), [
      'certificate file missing',
      '证书文件缺失',
    ]);
    const regenerated = await inventoryOf('ca-regenerated');
    for (const id of ['cert:pki/apiserver.crt', 'kubeconfig:admin.conf'])
      assert.deepEqual(both(item(regenerated, id)), ['not verified by ca', '未通过 ca 的验证'], id);

    const broken = await inventoryOf('healthy', (root) => {
      rmSync(join(root, 'kubelet.conf'));
      rmSync(join(root, 'pki/sa.pub'));
      writeFileSync(join(root, 'pki/apiserver.crt'), 'not a certificate\n');
    });
    assert.deepEqual(both(item(broken, 'kubeconfig:kubelet.conf')), [
      'kubeconfig missing',
      'kubeconfig 缺失',
    ]);
    const [en, chinese] = both(item(broken, 'key-pair:pki/sa.key'));
    assert.match(en ?? '', /^\/.*\/pki\/sa\.pub missing$/);
    assert.match(chinese ?? '', /^\/.*\/pki\/sa\.pub 缺失$/);
    const [enInvalid, zhInvalid] = both(item(broken, 'cert:pki/apiserver.crt'));
    assert.match(enInvalid ?? '', /^no readable certificate in the file: .+/);
    // The decoder's own detail stays English inside the translated sentence.
    assert.equal(zhInvalid, `文件中没有可读取的证书：${(enInvalid ?? '').split(': ').slice(1).join(': ')}`);
  });
});
