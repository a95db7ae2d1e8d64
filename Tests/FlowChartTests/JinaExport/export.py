"""Exports every Flow under this folder with Jina 3.34's Flow.to_kubernetes_yaml().

Each <name>/flow.yml is loaded with Flow.load_config (from a stream of its text, so no host path gets
into --extra-search-paths) and exported into <name>/ in namespace `with.name`, else
<name>. The exports are committed; FlowChartTests compares the flow chart with them and
never needs Jina. Run (see README.md here): python export.py [NAME...]
"""
import io
import os
import shutil
import sys

import yaml

HERE = os.path.dirname(os.path.abspath(__file__))


def export(name):
    from jina import Flow

    folder = os.path.join(HERE, name)
    with open(os.path.join(folder, 'flow.yml')) as f:
        text = f.read()
    namespace = (yaml.safe_load(text).get('with') or {}).get('name') or name
    for entry in os.listdir(folder):
        if os.path.isdir(os.path.join(folder, entry)):
            shutil.rmtree(os.path.join(folder, entry))
    Flow.load_config(io.StringIO(text)).to_kubernetes_yaml(folder, k8s_namespace=namespace)


def main(names):
    # Jina copies JINA_LOG_LEVEL from this process into every ConfigMap; the gateway, heads
    # and BaseExecutors get JINA_GATEWAY_IMAGE (else a Jina Hub lookup, which needs a network).
    os.environ.pop('JINA_LOG_LEVEL', None)
    os.environ['JINA_GATEWAY_IMAGE'] = 'jinaai/jina:3.34.0-py39-standard'
    names = names or sorted(
        n for n in os.listdir(HERE) if os.path.isfile(os.path.join(HERE, n, 'flow.yml'))
    )
    failed = []
    for name in names:
        try:
            export(name)
        except Exception as error:  # report every Flow Jina refuses, then fail
            failed.append(name)
            print(f'{name}: {type(error).__name__}: {error}', file=sys.stderr)
    if failed:
        sys.exit(f'Jina could not export: {", ".join(failed)}')


if __name__ == '__main__':
    main(sys.argv[1:])
