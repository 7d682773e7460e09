#include "tests/conformance/node_diff.h"

#include <set>

namespace baton::compose::testing {
namespace {

std::string Show(const Node& n) {
  switch (n.kind()) {
    case Node::Kind::kNull: return "null";
    case Node::Kind::kScalar: return "\"" + n.scalar() + "\"";
    case Node::Kind::kSequence: return "a sequence of " + std::to_string(n.items().size());
    case Node::Kind::kMapping: return "a mapping of " + std::to_string(n.entries().size()) + " keys";
  }
  return "?";
}

std::string Join(const std::string& path, const std::string& key) {
  return path.empty() ? key : path + "." + key;
}

void Diff(const Node& want, const Node& got, const std::string& path, std::vector<std::string>& out) {
  if (want.kind() != got.kind()) {
    out.push_back(path + ": want " + Show(want) + ", got " + Show(got));
    return;
  }
  switch (want.kind()) {
    case Node::Kind::kNull: return;
    case Node::Kind::kScalar:
      if (want.scalar() != got.scalar())
        out.push_back(path + ": want " + Show(want) + ", got " + Show(got));
      return;
    case Node::Kind::kSequence: {
      const auto& w = want.items();
      const auto& g = got.items();
      if (w.size() != g.size())
        out.push_back(path + ": want " + Show(want) + ", got " + Show(got));
      for (size_t i = 0; i < w.size() && i < g.size(); ++i)
        Diff(w[i], g[i], path + "[" + std::to_string(i) + "]", out);
      return;
    }
    case Node::Kind::kMapping: {
      std::set<std::string> keys;
      for (const MapEntry& e : want.entries()) keys.insert(e.key);
      for (const MapEntry& e : got.entries()) keys.insert(e.key);
      for (const std::string& key : keys) {
        const Node* w = want.Find(key);
        const Node* g = got.Find(key);
        if (!g) out.push_back(Join(path, key) + ": missing, want " + Show(*w));
        else if (!w) out.push_back(Join(path, key) + ": unexpected, got " + Show(*g));
        else Diff(*w, *g, Join(path, key), out);
      }
      return;
    }
  }
}

}  // namespace

std::vector<std::string> DiffNodes(const Node& want, const Node& got, const std::string& path) {
  std::vector<std::string> out;
  Diff(want, got, path, out);
  return out;
}

}  // namespace baton::compose::testing
