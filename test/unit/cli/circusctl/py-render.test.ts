/** Python str()/repr()/json.dumps rendering used by circusctl's console and --json output. */
import { strict as assert } from 'node:assert';
import { jsonOutput } from '../../../../cli/circusctl/prettify';
import { parsePyJson } from '../../../../cli/circusctl/py-json';
import { pyStrField } from '../../../../cli/circusctl/py-repr';
import { pyJson } from '../../../../protocol/py-json';
import { columnize } from '../../../../cli/circusctl/columnize';
import { helpListing } from '../../../../cli/circusctl/shell';
import { COMMANDS } from '../../../../cli/circusctl/commands/index';
import { autocomplete } from '../../../../cli/circusctl/completion';

describe('cli/circusctl Python rendering', () => {
  // str()/repr() of values and bytes: test/unit/config/python.test.ts.
  it('str() of a reply field: the float fields get their .0', () => {
    assert.equal(pyStrField('check_delay', 5), '5.0');
    assert.equal(pyStrField('numprocesses', 5), '5');
    assert.equal(pyStrField('check_delay', 'N/A'), 'N/A');
  });

  it('decoding keeps floats, json.dumps writes them back', () => {
    const text = '{"status": "ok", "time": 1717171717.123456, "n": 5, "f": 5.0, "e": 1e-05, "s": "\\u00e9\\n", "l": [], "o": {}}';
    const value = parsePyJson(text);
    assert.equal(pyJson(value), text.replace('1e-05', '1e-05'));
    assert.equal(pyJson({ check_delay: 5, x: 5 }), '{"check_delay": 5.0, "x": 5}');
    assert.throws(() => parsePyJson('not json'), /Expecting value: line 1 column 1 \(char 0\)/);
  });

  it('--prettify: indent 2, sorted keys; colour only for a terminal', () => {
    const reply = { status: 'ok', b: [1, 2], a: {} };
    assert.equal(jsonOutput(reply, true, false), '{\n  "a": {},\n  "b": [\n    1,\n    2\n  ],\n  "status": "ok"\n}');
    assert.equal(jsonOutput(reply, false, true), '{"status": "ok", "b": [1, 2], "a": {}}');
    const coloured = jsonOutput(reply, true, true);
    assert.match(coloured, /\x1b\[/);
    assert.ok(coloured.endsWith('\n'));
  });

  it('the shell help listing is cmd.Cmd columns', () => {
    assert.equal(columnize(['a', 'bb', 'c'], 79), 'a  bb  c\n');
    assert.equal(
      helpListing(COMMANDS.keys()),
      '\nDocumented commands (type help <topic>):\n========================================\n' +
        'add     globaloptions  keygen  listsockets   quit          rm      stats \n' +
        'decr    help           kill    numprocesses  reload        set     status\n' +
        'dstats  incr           list    numwatchers   reloadconfig  signal  stop  \n' +
        'get     ipython        listen  options       restart       start \n' +
        '\nUndocumented commands:\n======================\nEOF\n\n',
    );
  });

  it('AUTO_COMPLETE prints matching command names', () => {
    const names = [...COMMANDS.keys()];
    assert.equal(autocomplete({}, names), undefined);
    assert.equal(autocomplete({ AUTO_COMPLETE: '1', COMP_WORDS: 'circusctl st', COMP_CWORD: '1' }, names), 'start stats status stop\n');
    assert.equal(autocomplete({ AUTO_COMPLETE: '1', COMP_WORDS: 'circusctl', COMP_CWORD: '1' }, names)?.split(' ').length, 26);
    assert.equal(autocomplete({ AUTO_COMPLETE: '1', COMP_WORDS: 'circusctl stop w', COMP_CWORD: '2' }, names), '');
  });
});
