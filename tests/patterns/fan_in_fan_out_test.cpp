#include <atomic>
#include <set>

#include "pattern_test_support.h"
#include "patterns/fan_in.h"
#include "patterns/fan_out.h"
#include "patterns/item.h"

namespace cs::test {
namespace {

using patterns::Item;
using rt::Context;
using rt::Status;

// Starts a producer that sends first..last on a new channel, then closes it.
Chan<int> numbers(Engine& engine, int first, int last) {
    Chan<int> ch(4);
    engine.go("numbers", [=]() -> Task<> {
        for (int i = first; i <= last; ++i) co_await ch.send(i);
        ch.close();
    });
    return ch;
}

template <class MergeFn>
void expect_merges_everything_once(MergeFn merge_fn) {
    Engine engine;
    std::multiset<int> got;
    run_task(engine, [&]() -> Task<> {
        Chan<int> all = merge_fn(
            engine, std::vector<Chan<int>>{numbers(engine, 1, 100), numbers(engine, 101, 150),
                                           numbers(engine, 151, 151)});
        while (auto r = co_await all.recv()) got.insert(r.value);  // ends: the merge closed
    });
    ASSERT_EQ(got.size(), 151u);
    for (int i = 1; i <= 151; ++i) EXPECT_EQ(got.count(i), 1u) << i;
    EXPECT_TRUE(eventually([&] { return tasks_named(engine, "merged") == 0; }));
}

TEST(FanIn, MergeDeliversEveryValueOnceAndClosesAfterTheLastInput) {
    expect_merges_everything_once([](Engine& e, std::vector<Chan<int>> in) {
        return patterns::merge(e, std::move(in), 2, "merged");
    });
}

TEST(FanIn, MergeSelectNilsClosedInputsAndClosesAfterTheLast) {
    expect_merges_everything_once([](Engine& e, std::vector<Chan<int>> in) {
        return patterns::merge_select(e, std::move(in), 2, "merged");
    });
}

TEST(FanIn, CancellingAMergeClosesItsOutputAndEndsItsTasks) {
    Engine engine;
    Chan<int> never_closed(0, "silent");
    auto [ctx, cancel] = rt::with_cancel(Context::background());
    Chan<int> a = patterns::merge<int>(engine, {never_closed}, 0, "merged", ctx);
    Chan<int> b = patterns::merge_select<int>(engine, {never_closed}, 0, "merged2", ctx);
    cancel();
    run_task(engine, [&]() -> Task<> {
        EXPECT_FALSE((co_await a.recv()).ok);
        EXPECT_FALSE((co_await b.recv()).ok);
    });
    EXPECT_TRUE(eventually([&] { return tasks_named(engine, "merged") == 0; }));
}

TEST(FanOutFanIn, EveryItemIsHandledByOneBranchAndMergedOnce) {
    Engine engine;
    std::multiset<int64_t> got;
    std::atomic<int> branches_used{0};  // a bit per branch
    run_task(engine, [&]() -> Task<> {
        Chan<Item> jobs(8, "jobs");
        engine.go("producer", [jobs]() -> Task<> {
            for (int i = 1; i <= 400; ++i) co_await jobs.send(Item{.id = uint64_t(i), .value = i});
            jobs.close();
        });
        auto outs =
            patterns::fan_out<Item>(engine, jobs, 4, 2, "square",
                                    [&](int branch, Item& it, const Context& ctx) -> Task<Status> {
                                        it.value *= it.value;
                                        branches_used.fetch_or(1 << branch);
                                        co_return co_await rt::sleep_for(ctx, 50us);
                                    });
        EXPECT_EQ(outs.size(), 4u);
        Chan<Item> all = patterns::merge(engine, outs, 4, "squares");
        while (auto r = co_await all.recv()) got.insert(r.value.value);
    });
    ASSERT_EQ(got.size(), 400u);
    for (int64_t i = 1; i <= 400; ++i) EXPECT_EQ(got.count(i * i), 1u) << i;
    EXPECT_EQ(branches_used.load(), 0b1111);  // every branch took work
    EXPECT_TRUE(eventually([&] { return tasks_named(engine, "square") == 0; }));
}

TEST(FanOut, RejectsZeroBranches) {
    Engine engine;
    Chan<Item> in(1);
    EXPECT_THROW(patterns::fan_out<Item>(
                     engine, in, 0, 1, "x",
                     [](int, Item&, const Context&) -> Task<Status> { co_return Status::ok; }),
                 rt::InvalidArgument);
}

}  // namespace
}  // namespace cs::test
