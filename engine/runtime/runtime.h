#pragma once
// Everything a program using the runtime needs, in one include.
#include "engine.h"
#include "runtime/blocking.h"
#include "runtime/channel.h"
#include "runtime/context.h"
#include "runtime/mutex.h"
#include "runtime/rate_limiter.h"
#include "runtime/select.h"
#include "runtime/semaphore.h"
#include "runtime/task.h"
#include "runtime/timers.h"
#include "runtime/wait_group.h"
