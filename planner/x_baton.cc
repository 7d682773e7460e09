// x-baton is an extension, so the loader keeps it as a raw Node with the
// marks of what was written; errors here point at the exact item.

#include "planner/x_baton.h"

#include <algorithm>

#include "compose/service_where.h"
#include "planner/x_baton_keys.h"

namespace baton::planner {
namespace {

using compose::MapEntry;
using compose::Mark;
using compose::ModelPath;
using compose::Node;

constexpr char kExtension[] = "x-baton";

std::string Quoted(const std::string& text) { return "\"" + text + "\""; }

// The node's own mark when the loader kept one, else the key's.
const Mark& BestMark(const Node& node, const Mark& fallback) {
  return node.mark().file && node.mark().line > 0 ? node.mark() : fallback;
}

Status CheckServiceName(const compose::Project& project, const compose::Service& service,
                        const std::string& name, const std::string& where) {
  if (name == service.name)
    return Error::Invalid(where, "service " + Quoted(name) + " cannot refer to itself");
  if (project.services.count(name)) return Status::Ok();
  if (project.disabled_services.count(name))
    return Error::Invalid(where, "service " + Quoted(name) + " is not enabled");
  return Error::Invalid(where, "undefined service " + Quoted(name));
}

// One name, or a list of names; null is an empty list.
Result<std::vector<std::string>> ReadNames(const compose::Project& project,
                                           const compose::Service& service, const Node& value,
                                           const Mark& key_mark, const ModelPath& at) {
  std::vector<std::string> names;
  auto add = [&](const Node& item, const ModelPath& here) -> Status {
    std::string where = compose::Where(BestMark(item, key_mark), here);
    if (!item.IsScalar())
      return Error::Invalid(where, "must be a service name, got " + std::string(item.KindName()));
    if (Status s = CheckServiceName(project, service, item.scalar(), where); !s.ok()) return s;
    names.push_back(item.scalar());
    return Status::Ok();
  };
  if (value.IsScalar()) {
    if (Status s = add(value, at); !s.ok()) return std::move(s).error();
  } else if (value.IsSequence()) {
    for (size_t i = 0; i < value.items().size(); ++i)
      if (Status s = add(value.items()[i], at.Index(i)); !s.ok()) return std::move(s).error();
  } else if (!value.IsNull()) {
    return Error::Invalid(compose::Where(BestMark(value, key_mark), at),
                          "must be a service name or a list of service names, got mapping");
  }
  std::sort(names.begin(), names.end());
  names.erase(std::unique(names.begin(), names.end()), names.end());
  return names;
}

Status CheckDisjoint(const XBaton& rules, const Node& extension, const ModelPath& at) {
  for (const std::string& name : rules.affinity) {
    if (!std::binary_search(rules.anti_affinity.begin(), rules.anti_affinity.end(), name)) continue;
    const MapEntry* entry = extension.FindEntry("anti_affinity");
    return Error::Invalid(compose::Where(entry->key_mark, at.Key("anti_affinity")),
                          "service " + Quoted(name) + " is in both affinity and anti_affinity");
  }
  return Status::Ok();
}

// readiness and autoscale are read in x_baton_keys.cc; false when `entry` is
// neither.
Result<bool> ReadStructuredKey(const compose::Service& service, const MapEntry& entry,
                               const ModelPath& here, XBaton& rules) {
  if (entry.key == "readiness") {
    auto check = ReadReadiness(entry.value, entry.key_mark, here);
    if (!check.ok()) return std::move(check).error();
    rules.readiness = std::move(*check);
    return true;
  }
  if (entry.key == "autoscale") {
    auto policy = ReadAutoscale(service, entry.value, entry.key_mark, here);
    if (!policy.ok()) return std::move(policy).error();
    rules.autoscale = *policy;
    return true;
  }
  return false;
}

Result<XBaton> ReadRules(const compose::Project& project, const compose::Service& service,
                         const Node& extension, const ModelPath& at) {
  XBaton rules;
  for (const MapEntry& entry : extension.entries()) {
    ModelPath here = at.Key(entry.key);
    auto structured = ReadStructuredKey(service, entry, here, rules);
    if (!structured.ok()) return std::move(structured).error();
    if (*structured) continue;
    std::vector<std::string>* into = entry.key == "affinity"        ? &rules.affinity
                                     : entry.key == "anti_affinity" ? &rules.anti_affinity
                                                                    : nullptr;
    if (!into)
      return Error::Invalid(compose::Where(entry.key_mark, here),
                            "unknown key " + Quoted(entry.key) +
                                ", expected affinity, anti_affinity, readiness or autoscale");
    auto names = ReadNames(project, service, entry.value, entry.key_mark, here);
    if (!names.ok()) return std::move(names).error();
    *into = std::move(*names);
  }
  if (Status s = CheckDisjoint(rules, extension, at); !s.ok()) return std::move(s).error();
  return rules;
}

}  // namespace

Result<XBaton> ReadXBaton(const compose::Project& project, const compose::Service& service) {
  const MapEntry* entry = service.extensions.FindEntry(kExtension);
  if (!entry || entry->value.IsNull()) return XBaton{};
  ModelPath at = compose::ServicePath(service).Key(kExtension);
  const Mark& key_mark = compose::ServiceKeyMark(service, kExtension);
  if (!entry->value.IsMapping())
    return Error::Invalid(compose::Where(BestMark(entry->value, key_mark), at),
                          "must be a mapping, got " + std::string(entry->value.KindName()));
  return ReadRules(project, service, entry->value, at);
}

}  // namespace baton::planner
