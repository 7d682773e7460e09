// kBuildImage: builds a service's image from its local context (issue 8).
#include "runtime/apply_context.h"

namespace baton::runtime {

Status RunBuildAction(const ApplyContext&, size_t) {
  return Error::Internal("", "building images is not implemented yet");
}

}  // namespace baton::runtime
