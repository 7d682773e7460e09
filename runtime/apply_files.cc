// kUploadFiles and kRemoveFiles: copies of project files on a host (issue 8).
#include "runtime/apply_context.h"

namespace baton::runtime {

Status RunFilesAction(const ApplyContext&, size_t) {
  return Error::Internal("", "uploading project files is not implemented yet");
}

}  // namespace baton::runtime
