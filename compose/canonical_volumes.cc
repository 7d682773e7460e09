// services.*.volumes and services.*.devices. The short volume syntax
// "[source:]target[:mode,mode]" follows compose's ParseVolume: a source that
// starts with ".", "/" or "~" is a bind mount, any other source names a
// volume, and no source means an anonymous volume.

#include <vector>

#include "compose/canonical_rules.h"
#include "compose/paths.h"
#include "compose/schema.h"

namespace baton::compose::canonical {
namespace {

using schema::Quote;

struct ShortVolume {
  std::string source;
  std::string target;
  bool read_only = false;
  std::string consistency;
  std::string propagation;
  std::string selinux;
  bool nocopy = false;
};

std::vector<std::string> SplitOn(std::string_view text, char sep) {
  std::vector<std::string> parts;
  size_t start = 0;
  for (size_t at; (at = text.find(sep, start)) != std::string_view::npos; start = at + 1)
    parts.emplace_back(text.substr(start, at - start));
  parts.emplace_back(text.substr(start));
  return parts;
}

bool IsPropagation(std::string_view mode) {
  for (std::string_view p : {"rprivate", "private", "rshared", "shared", "rslave", "slave"})
    if (mode == p) return true;
  return false;
}

// Applies one of the ","-separated modes; returns false for a mode compose does not know.
bool ApplyMode(const std::string& mode, ShortVolume& v) {
  if (mode == "ro" || mode == "rw") {
    v.read_only = mode == "ro";
  } else if (mode == "nocopy") {
    v.nocopy = true;
  } else if (mode == "z" || mode == "Z") {
    v.selinux = mode;
  } else if (IsPropagation(mode)) {
    v.propagation = mode;
  } else if (mode == "cached" || mode == "delegated" || mode == "consistent") {
    // Docker Desktop's old consistency flags; kept so config shows them.
    v.consistency = mode;
  } else {
    return false;
  }
  return true;
}

// "" when `spec` parses into `v`, else why not.
std::string ParseShortVolume(std::string_view spec, ShortVolume& v) {
  if (spec.empty()) return "empty specification";
  // compose reads a spec this short as a target alone, without splitting it.
  if (spec.size() <= 2) {
    v.target = std::string(spec);
    return "";
  }
  std::vector<std::string> parts = SplitOn(spec, ':');
  if (parts.size() > 3) return "too many colons";
  for (const std::string& part : parts)
    if (part.empty()) return "empty section between colons";
  if (parts.size() == 1) {
    v.target = parts[0];
  } else {
    v.source = parts[0];
    v.target = parts[1];
  }
  if (parts.size() == 3)
    for (const std::string& mode : SplitOn(parts[2], ','))
      if (!ApplyMode(mode, v)) return "unknown mode " + Quote(mode);
  v.target = CleanPath(v.target);
  return "";
}

bool IsHostPath(std::string_view source) {
  return !source.empty() && (source[0] == '.' || source[0] == '/' || source[0] == '~');
}

Node BindSection(const ShortVolume& v, const Mark& m) {
  Node bind = Node::Mapping(m);
  if (!v.selinux.empty()) bind.Set("selinux", Text(v.selinux, m));
  if (!v.propagation.empty()) bind.Set("propagation", Text(v.propagation, m));
  return bind;
}

Node LongVolume(const ShortVolume& v, const Mark& m) {
  bool bind = IsHostPath(v.source);
  bool has_bind_options = !v.selinux.empty() || !v.propagation.empty();
  Node out = Node::Mapping(m);
  out.Set("type", Text(bind ? "bind" : "volume", m));
  if (!v.source.empty()) out.Set("source", Text(v.source, m));
  out.Set("target", Text(v.target, m));
  if (v.read_only) out.Set("read_only", Plain("true", m));
  if (!v.consistency.empty()) out.Set("consistency", Text(v.consistency, m));
  if (bind || has_bind_options) {
    Node section = BindSection(v, m);
    // The short syntax creates a missing host directory, as `docker run -v` does.
    if (bind) section.Set("create_host_path", Plain("true", m));
    out.Set("bind", std::move(section));
  }
  if (!bind || v.nocopy) {
    Node section = Node::Mapping(m);
    if (v.nocopy) section.Set("nocopy", Plain("true", m));
    out.Set("volume", std::move(section));
  }
  return out;
}

// Checks what the schema cannot say about a long-form mount.
Status CheckLongVolume(Node& volume, const ModelPath& at) {
  if (Status s = schema::Check(volume, schema::kVolumeLong, at); !s.ok()) return s;
  if (!volume.Find("target"))
    return Error::Invalid(Where(volume, at), "missing required key \"target\"");
  const Node* type = volume.Find("type");
  bool has_source = volume.Find("source") != nullptr;
  if (type->scalar() == "bind" && !has_source)
    return Error::Invalid(Where(volume, at), "a bind mount needs a \"source\"");
  if (type->scalar() == "tmpfs" && has_source)
    return Error::Invalid(Where(volume, at), "a tmpfs mount takes no \"source\"");
  return Status::Ok();
}

}  // namespace

Status ServiceVolume(Node& node, const ModelPath& at) {
  if (node.IsMapping()) return CheckLongVolume(node, at);
  if (!node.IsScalar()) return schema::TypeError(node, at, "a string or a mapping");
  ShortVolume v;
  if (std::string problem = ParseShortVolume(node.scalar(), v); !problem.empty())
    return Error::Invalid(Where(node, at),
                          "invalid volume " + Quote(node.scalar()) + ": " + problem);
  node = LongVolume(v, node.mark());
  return Status::Ok();
}

Status Device(Node& node, const ModelPath& at) {
  if (node.IsMapping()) return schema::Check(node, schema::kDeviceLong, at);
  if (!node.IsScalar()) return schema::TypeError(node, at, "a string or a mapping");
  std::vector<std::string> parts = SplitOn(node.scalar(), ':');
  std::string problem;
  if (parts.size() > 3) problem = "too many colons, use the long syntax";
  else if (parts[0].empty()) problem = "no source";
  if (!problem.empty())
    return Error::Invalid(Where(node, at),
                          "invalid device " + Quote(node.scalar()) + ": " + problem);
  const Mark& m = node.mark();
  std::string target = parts.size() >= 2 && !parts[1].empty() ? parts[1] : parts[0];
  Node out = Node::Mapping(m);
  out.Set("source", Text(parts[0], m));
  out.Set("target", Text(target, m));
  out.Set("permissions", Text(parts.size() == 3 ? parts[2] : "rwm", m));
  node = std::move(out);
  return Status::Ok();
}

}  // namespace baton::compose::canonical
