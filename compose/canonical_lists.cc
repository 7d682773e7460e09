// Keys written either as a list or as a mapping (environment, labels, args,
// extra_hosts, ...), and keys written as one string or a list (dns, tmpfs,
// env_file, ...).

#include "compose/canonical_rules.h"
#include "compose/schema.h"

namespace baton::compose::canonical {
namespace {

using schema::Quote;
using schema::TypeError;

// A list item that must be a scalar; numbers and booleans count as text.
Status RequireScalarItem(const Node& item, const ModelPath& at) {
  if (item.IsScalar()) return Status::Ok();
  return TypeError(item, at, "a string");
}

// Mapping form of a list-or-dict: each value a scalar (kept as a string) or,
// when `nulls` is true, null.
Status CheckScalarValues(Node& node, const ModelPath& at, bool nulls) {
  for (MapEntry& e : node.entries()) {
    if (e.value.tag() == "reset") continue;
    if (e.value.IsScalar()) {
      e.value.set_quoted(true);
    } else if (!(e.value.IsNull() && nulls)) {
      return TypeError(e.value, at.Key(e.key),
                       nulls ? "a string, number, boolean or null" : "a string or number");
    }
  }
  return Status::Ok();
}

// Rewrites a sequence of "KEY=VALUE" items to a mapping. `value_of` maps the
// text after the first "=" (nullopt when there is none) to the value node.
template <typename ValueOf>
Status ItemsToMapping(Node& node, const ModelPath& at, ValueOf value_of) {
  Node mapping = Node::Mapping(node.mark());
  for (size_t i = 0; i < node.items().size(); ++i) {
    const Node& item = node.items()[i];
    if (Status s = RequireScalarItem(item, at.Index(i)); !s.ok()) return s;
    const std::string& text = item.scalar();
    size_t eq = text.find('=');
    std::string key = text.substr(0, eq);
    if (key.empty())
      return Error::Invalid(Where(item, at.Index(i)), "missing name in " + Quote(text));
    std::optional<std::string> value;
    if (eq != std::string::npos) value = text.substr(eq + 1);
    Result<Node> v = value_of(item, value, at.Index(i));
    if (!v.ok()) return v.error();
    mapping.Set(std::move(key), std::move(*v), item.mark());
  }
  node = std::move(mapping);
  return Status::Ok();
}

Node NullAt(const Node& item) { return Node::Null(item.mark()); }

// One extra_hosts entry "host=ip[,ip]" after splitting host from addresses.
Status AppendHosts(Node& out, const Node& from, std::string_view host, std::string_view ips,
                   const ModelPath& at) {
  if (host.empty() || host.find_first_of(":=") != std::string_view::npos)
    return Error::Invalid(Where(from, at), "invalid host name " + Quote(host));
  size_t start = 0;
  while (true) {
    size_t comma = ips.find(',', start);
    std::string_view ip = ips.substr(start, comma == std::string_view::npos ? ips.npos
                                                                             : comma - start);
    if (ip.size() > 2 && ip.front() == '[' && ip.back() == ']') ip = ip.substr(1, ip.size() - 2);
    out.Append(Text(std::string(host) + "=" + std::string(ip), from.mark()));
    if (comma == std::string_view::npos) return Status::Ok();
    start = comma + 1;
  }
}

Status ExtraHostsFromList(const Node& node, Node& out, const ModelPath& at) {
  for (size_t i = 0; i < node.items().size(); ++i) {
    const Node& item = node.items()[i];
    if (Status s = RequireScalarItem(item, at.Index(i)); !s.ok()) return s;
    std::string_view text = item.scalar();
    size_t sep = text.find('=');
    if (sep == std::string_view::npos) sep = text.find(':');
    if (sep == std::string_view::npos)
      return Error::Invalid(Where(item, at.Index(i)),
                            "invalid extra host " + Quote(text) + ": expected host=ip");
    Status s = AppendHosts(out, item, text.substr(0, sep), text.substr(sep + 1), at.Index(i));
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status ExtraHostsFromMapping(const Node& node, Node& out, const ModelPath& at) {
  for (const MapEntry& e : node.entries()) {
    // The list form cannot carry a reset of one host: dropped like a reset item.
    if (e.value.tag() == "reset") continue;
    ModelPath here = at.Key(e.key);
    if (e.value.IsScalar()) {
      if (Status s = AppendHosts(out, e.value, e.key, e.value.scalar(), here); !s.ok()) return s;
      continue;
    }
    if (!e.value.IsSequence()) return TypeError(e.value, here, "a string or a sequence");
    for (size_t i = 0; i < e.value.items().size(); ++i) {
      const Node& ip = e.value.items()[i];
      if (Status s = RequireScalarItem(ip, here.Index(i)); !s.ok()) return s;
      if (Status s = AppendHosts(out, ip, e.key, ip.scalar(), here.Index(i)); !s.ok()) return s;
    }
  }
  return Status::Ok();
}

// One env_file item in long form, with `required` defaulting to true.
Status EnvFileItem(Node& item, const ModelPath& at) {
  if (item.IsScalar()) {
    Node entry = Node::Mapping(item.mark());
    entry.Set("path", Text(item.scalar(), item.mark()));
    entry.Set("required", Plain("true", item.mark()));
    item = std::move(entry);
    return Status::Ok();
  }
  if (!item.IsMapping()) return TypeError(item, at, "a string or a mapping");
  if (Status s = schema::Check(item, schema::kEnvFileLong, at); !s.ok()) return s;
  if (!item.Find("required")) item.Set("required", Plain("true", item.mark()));
  return Status::Ok();
}

}  // namespace

Status ListOrDict(Node& node, const ModelPath& at) {
  if (node.IsMapping()) return CheckScalarValues(node, at, /*nulls=*/true);
  if (!node.IsSequence()) return TypeError(node, at, "a mapping or a sequence");
  return ItemsToMapping(node, at,
                        [](const Node& item, const std::optional<std::string>& value,
                           const ModelPath&) -> Result<Node> {
                          if (!value) return NullAt(item);
                          return Text(*value, item.mark());
                        });
}

Status KeyValueList(Node& node, const ModelPath& at) {
  if (node.IsMapping()) return CheckScalarValues(node, at, /*nulls=*/false);
  if (!node.IsSequence()) return TypeError(node, at, "a mapping or a sequence");
  return ItemsToMapping(node, at,
                        [](const Node& item, const std::optional<std::string>& value,
                           const ModelPath& here) -> Result<Node> {
                          if (!value)
                            return Error::Invalid(Where(item, here),
                                                  "invalid item " + Quote(item.scalar()) +
                                                      ": expected name=value");
                          return Text(*value, item.mark());
                        });
}

Status SshKeys(Node& node, const ModelPath& at) {
  if (node.IsMapping()) return CheckScalarValues(node, at, /*nulls=*/true);
  if (!node.IsSequence()) return TypeError(node, at, "a mapping or a sequence");
  return ItemsToMapping(node, at,
                        [](const Node& item, const std::optional<std::string>& value,
                           const ModelPath& here) -> Result<Node> {
                          if (value) return Text(*value, item.mark());
                          if (item.scalar() == "default") return NullAt(item);
                          return Error::Invalid(Where(item, here),
                                                "invalid ssh key " + Quote(item.scalar()) +
                                                    ": expected default or id=path");
                        });
}

Status StringOrList(Node& node, const ModelPath& at) {
  if (node.IsScalar()) {
    Node list = Node::Sequence(node.mark());
    list.Append(Text(node.scalar(), node.mark()));
    node = std::move(list);
    return Status::Ok();
  }
  if (!node.IsSequence()) return TypeError(node, at, "a string or a sequence");
  static constexpr schema::Shape kStrings{
      .kind = schema::Kind::kList, .element = nullptr, .unique = true};
  for (size_t i = 0; i < node.items().size(); ++i) {
    Node& item = node.items()[i];
    if (Status s = RequireScalarItem(item, at.Index(i)); !s.ok()) return s;
    item.set_quoted(true);
  }
  return schema::Check(node, kStrings, at);
}

Status ExtraHosts(Node& node, const ModelPath& at) {
  Node out = Node::Sequence(node.mark());
  if (node.IsSequence()) {
    if (Status s = ExtraHostsFromList(node, out, at); !s.ok()) return s;
  } else if (node.IsMapping()) {
    if (Status s = ExtraHostsFromMapping(node, out, at); !s.ok()) return s;
  } else {
    return TypeError(node, at, "a mapping or a sequence");
  }
  node = std::move(out);
  return Status::Ok();
}

Status EnvFile(Node& node, const ModelPath& at) {
  if (node.IsScalar()) {
    Node list = Node::Sequence(node.mark());
    list.Append(node);
    node = std::move(list);
  }
  if (!node.IsSequence()) return TypeError(node, at, "a string or a sequence");
  for (size_t i = 0; i < node.items().size(); ++i)
    if (Status s = EnvFileItem(node.items()[i], at.Index(i)); !s.ok()) return s;
  return Status::Ok();
}

}  // namespace baton::compose::canonical
