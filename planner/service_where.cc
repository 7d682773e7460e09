#include "planner/service_where.h"

namespace baton::planner {

const compose::Mark& ServiceKeyMark(const compose::Service& service, const std::string& key) {
  for (std::string k = key;;) {
    auto it = service.marks.find(k);
    if (it != service.marks.end()) return it->second;
    size_t cut = k.find_last_of(".[");
    if (cut == std::string::npos) return service.mark;
    k.resize(cut);
  }
}

compose::ModelPath ServicePath(const compose::Service& service) {
  return compose::ModelPath().Key("services").Key(service.name);
}

}  // namespace baton::planner
