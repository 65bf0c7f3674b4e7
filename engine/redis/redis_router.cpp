#include "redis/redis_router.h"

#include "runtime/errors.h"

namespace cs::redis {

Reply RedisRouter::command_for_blocking(const std::string& key, const Command& args) {
    throw rt::UsageError("this Redis router has no blocking calls (asked for " +
                         (args.empty() ? std::string("an empty command") : args.front()) +
                         " on \"" + key + "\"): call command_for from a task");
}

}  // namespace cs::redis
