"""The schema of a cache entry, as :func:`budget2024.cachecodec.describe` derives it from the models.

The reader checks every entry against this copy, never against the description an entry
carries (an entry is untrusted input: anything that can write the cache directory can write
its header too). It is written out here so that a cached run needs no pydantic;
``tests/test_cache_untrusted.py`` checks that it is what the models give. After a change to
``model.py``, regenerate it with ``python -m budget2024.cacheschema > budget2024/cacheschema.py``.
"""

from __future__ import annotations

from typing import Any

# fmt: off
ROOT: dict[str, Any] = {'schema_version': ['L', [1]],
 'agreement': ['o', 'Meta'],
 'bodies': ['l', ['o', 'Body']],
 'chapters': ['l', ['o', 'Chapter']],
 'sections': ['l', ['o', 'Section']],
 'initiatives': ['l', ['o', 'Initiative']],
 'lines': ['l', ['o', 'Line']],
 'discrepancies': ['l', ['o', 'Discrepancy']],
 'stated_figures': ['l', ['o', 'StatedFigure']],
 'tax_rates': ['l', ['o', 'TaxRate']],
 'strategy': ['?', ['o', 'Strategy']],
 'key_figures': ['m', ['o', 'KeyFigure'], False]}

MODELS: dict[str, Any] = {'Agreement': {'fields': {'schema_version': ['L', [1]],
                          'agreement': ['o', 'Meta'],
                          'bodies': ['l', ['o', 'Body']],
                          'chapters': ['l', ['o', 'Chapter']],
                          'sections': ['l', ['o', 'Section']],
                          'initiatives': ['l', ['o', 'Initiative']],
                          'lines': ['l', ['o', 'Line']],
                          'discrepancies': ['l', ['o', 'Discrepancy']],
                          'stated_figures': ['l', ['o', 'StatedFigure']],
                          'tax_rates': ['l', ['o', 'TaxRate']],
                          'strategy': ['?', ['o', 'Strategy']],
                          'key_figures': ['m', ['o', 'KeyFigure'], False]},
               'props': {}},
 'Meta': {'fields': {'municipality': 's',
                     'title': 's',
                     'signed': 'd',
                     'budget_year': 'i',
                     'overslag_years': ['l', 'i'],
                     'unit': ['L', ['1000 DKK']],
                     'source': ['?', 's']},
          'props': {'years': ['l', 'i']}},
 'Body': {'fields': {'id': 's',
                     'name': 's',
                     'committee': 'b',
                     'aliases': ['l', 's'],
                     'section_17_4': 'b',
                     'finance': 'b',
                     'note': ['?', 's']},
          'props': {}},
 'Chapter': {'fields': {'id': 's', 'title': 's'}, 'props': {}},
 'Section': {'fields': {'id': 's',
                        'chapter': 's',
                        'title': 's',
                        'bodies': ['l', ['o', 'BodyRole']],
                        'note': ['?', 's']},
             'props': {}},
 'BodyRole': {'fields': {'body': 's', 'role': ['e', 'Role'], 'note': ['?', 's'], 'inferred': ['?', 's']},
              'props': {}},
 'Initiative': {'fields': {'id': 's',
                           'section': 's',
                           'title': 's',
                           'bodies': ['l', ['o', 'BodyRole']],
                           'text': ['?', 's'],
                           'prose_amounts': ['l', ['o', 'ProseAmount']],
                           'note': ['?', 's']},
                'props': {}},
 'ProseAmount': {'fields': {'text': 's',
                            'kind': ['?', ['e', 'Kind']],
                            'amounts': ['m', 'i', True],
                            'per_year': ['?', 'i'],
                            'total': ['?', 'i'],
                            'note': ['?', 's'],
                            'reading': ['?', 's']},
                 'props': {}},
 'Line': {'fields': {'id': 's',
                     'kind': ['e', 'Kind'],
                     'group': 's',
                     'label': 's',
                     'title': 's',
                     'amounts': ['m', 'i', True],
                     'raw': 's',
                     'initiative': ['?', 's'],
                     'section': ['?', 's'],
                     'body': ['?', 's'],
                     'note': ['?', 's']},
          'props': {}},
 'Discrepancy': {'fields': {'id': 's',
                            'category': ['L',
                                         ['amount',
                                          'year',
                                          'sign',
                                          'name',
                                          'section-label',
                                          'prose-only',
                                          'appendix-only',
                                          'total']],
                            'section': 's',
                            'initiative': ['?', 's'],
                            'line': ['?', 's'],
                            'text': 's'},
                 'props': {}},
 'StatedFigure': {'fields': {'id': 's',
                             'measure': 's',
                             'kind': ['?', ['e', 'Kind']],
                             'value': ['?', 'i'],
                             'amounts': ['m', 'i', True],
                             'years': ['l', 'i'],
                             'approximate': 'b',
                             'sentence': 's',
                             'note': ['?', 's'],
                             'reading': ['?', 's']},
                  'props': {}},
 'TaxRate': {'fields': {'id': 's', 'value': 'f', 'unit': 's', 'sentence': 's'}, 'props': {}},
 'Strategy': {'fields': {'period': ['l', 'i'], 'text': 's', 'targets': ['l', ['o', 'Target']]}, 'props': {}},
 'Target': {'fields': {'id': 's',
                       'goal': ['?', 'i'],
                       'wording': 's',
                       'metric': 's',
                       'comparison': ['L', ['>=', '<=', '>', '<', '==']],
                       'threshold': ['u', 'Threshold', ['p', ['i', 'f']]],
                       'unit': 's',
                       'years': ['l', 'i'],
                       'period': ['?', ['l', 'i']],
                       'baseline_year': ['?', 'i'],
                       'note': ['?', 's'],
                       'reading': ['?', 's']},
            'props': {}},
 'Threshold': {'fields': {'figure': 's', 'factor': 'f'}, 'props': {}},
 'KeyFigure': {'fields': {'values': ['m', 'i', True], 'unit': 's', 'source': 's', 'reading': ['?', 's']},
               'props': {}}}
# fmt: on


def _generate() -> str:  # pragma: no cover - a developer's tool
    import inspect
    import pprint

    from .cachecodec import describe
    from .model import Agreement

    root, models = describe(Agreement)
    source = inspect.getsource(__import__(__name__, fromlist=["_"]))
    head = source[: source.index("ROOT: dict")]
    tail = source[source.index("# fmt: on"):]
    return (head + "ROOT: dict[str, Any] = " + pprint.pformat(root, width=110, indent=1, sort_dicts=False)
            + "\n\nMODELS: dict[str, Any] = " + pprint.pformat(models, width=110, indent=1, sort_dicts=False)
            + "\n" + tail)


if __name__ == "__main__":  # pragma: no cover
    print(_generate(), end="")
