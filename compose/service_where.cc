#include "compose/service_where.h"

namespace baton::compose {

const Mark& ServiceKeyMark(const Service& service, const std::string& key) {
  for (std::string k = key;;) {
    auto it = service.marks.find(k);
    if (it != service.marks.end()) return it->second;
    size_t cut = k.find_last_of(".[");
    if (cut == std::string::npos) return service.mark;
    k.resize(cut);
  }
}

ModelPath ServicePath(const Service& service) {
  return ModelPath().Key("services").Key(service.name);
}

}  // namespace baton::compose
