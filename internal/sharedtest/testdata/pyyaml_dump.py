"""Print the cassettes named on the command line as PyYAML parses them, for
TestCassettesMatchPyYAML: a JSON object {path: document}.

Plain scalars stay strings (only null is resolved), as in sharedtest's reader; a binary
scalar (Ruby's !binary, YAML's !!binary) becomes {"$binary": base64} so raw bytes survive
JSON.
"""
import base64
import json
import sys

import yaml


class Loader(yaml.SafeLoader):
    pass


Loader.yaml_implicit_resolvers = {
    first: [(tag, rx) for tag, rx in resolvers if tag == "tag:yaml.org,2002:null"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Loader.add_constructor("!binary", yaml.SafeLoader.construct_yaml_binary)


def plain(v):
    if v is None or isinstance(v, str):
        return v
    if isinstance(v, bytes):
        return {"$binary": base64.b64encode(v).decode("ascii")}
    if isinstance(v, list):
        return [plain(x) for x in v]
    if isinstance(v, dict):
        out = {}
        for k, x in v.items():
            if not isinstance(k, str):
                raise TypeError("non-string key %r" % (k,))
            out[k] = plain(x)
        return out
    raise TypeError("unexpected %s %r" % (type(v).__name__, v))


docs = {}
for path in sys.argv[1:]:
    with open(path, "rb") as f:
        docs[path] = plain(yaml.load(f, Loader=Loader))
json.dump(docs, sys.stdout)
