// The invalidation log: which cache events it keeps (invalidations, version bumps, TTL expiry and
// deletes; not evictions for room), what each column says, its bound, its filters and sorting,
// and the events of a real event-invalidation lesson.
#include <gtest/gtest.h>

#include <QComboBox>
#include <QLineEdit>
#include <QTableView>

#include "invalidation_log.h"
#include "invalidation_log_model.h"
#include "main_window.h"
#include "ui_test_support.h"

namespace cs::ui::test {
namespace {

using Kind = telemetry::CacheEvent::Kind;

telemetry::CacheEvent event(Kind kind, std::string cause, std::string subject, int64_t delay_ns = 0,
                            std::string source = {}) {
    telemetry::CacheEvent e;
    e.kind = kind;
    e.time = rt::TimePoint(std::chrono::milliseconds(1500));
    e.cache_id = 2;
    e.cache = "app_a";
    e.cause = std::move(cause);
    e.subject = std::move(subject);
    e.source = std::move(source);
    e.delay_ns = delay_ns;
    e.entries = 1;
    return e;
}

QString cell(const QAbstractItemModel& m, int row, int column) {
    return m.data(m.index(row, column), Qt::DisplayRole).toString();
}

TEST(InvalidationLogModel, KeepsInvalidationsAndSaysWhatEachWas) {
    InvalidationLogModel m;
    m.append({event(Kind::removal, "size", "user:1"), event(Kind::removal, "replaced", "user:2"),
              event(Kind::invalidation, "key", "user:7", 2'500'000, "app_b"),
              event(Kind::removal, "expired", "user:3"), event(Kind::removal, "explicit", "user:4"),
              event(Kind::version_bump, "version", "users")});
    ASSERT_EQ(m.rowCount(), 4) << "evictions for room and replaced values are not invalidations";
    using C = InvalidationLogModel;
    EXPECT_EQ(cell(m, 0, C::subject_column), "user:7");
    EXPECT_EQ(cell(m, 0, C::cause_column), "key");
    EXPECT_EQ(cell(m, 0, C::source_column), "app_b");
    EXPECT_EQ(cell(m, 0, C::delay_column), "2.50 ms");
    EXPECT_EQ(cell(m, 0, C::cache_column), "app_a");
    EXPECT_EQ(cell(m, 0, C::time_column), "1.5 s");
    EXPECT_EQ(cell(m, 1, C::cause_column), "expired (TTL)");
    EXPECT_EQ(cell(m, 1, C::delay_column), "—");
    EXPECT_EQ(cell(m, 2, C::cause_column), "deleted");
    EXPECT_EQ(cell(m, 3, C::cause_column), "version bump");
    EXPECT_EQ(m.data(m.index(9, 0), Qt::DisplayRole), QVariant()) << "out of range is empty";
}

TEST(InvalidationLogModel, KeepsTheNewestRowsAndCountsTheDropped) {
    InvalidationLogModel m;
    std::vector<telemetry::CacheEvent> many;
    for (size_t i = 0; i < InvalidationLogModel::max_rows + 25; ++i)
        many.push_back(event(Kind::invalidation, "key", "k" + std::to_string(i)));
    m.append(many);
    EXPECT_EQ(size_t(m.rowCount()), InvalidationLogModel::max_rows);
    EXPECT_EQ(m.dropped(), 25u);
    EXPECT_EQ(cell(m, 0, InvalidationLogModel::subject_column), "k25");
    m.append({event(Kind::invalidation, "tag", "newest")});
    EXPECT_EQ(size_t(m.rowCount()), InvalidationLogModel::max_rows);
    EXPECT_EQ(m.dropped(), 26u);
    EXPECT_EQ(cell(m, m.rowCount() - 1, InvalidationLogModel::subject_column), "newest");
}

TEST(InvalidationLog, FiltersByTextAndByCauseAndSortsByNumbers) {
    InvalidationLog log;
    log.append({event(Kind::invalidation, "key", "user:7", 9'000'000, "app_b"),
                event(Kind::invalidation, "prefix", "user:", 1'000'000, "admin"),
                event(Kind::invalidation, "key", "order:1", 20'000'000, "app_b")});
    EXPECT_EQ(log.shown_rows(), 3);
    log.text_filter()->setText(QStringLiteral("USER"));
    EXPECT_EQ(log.shown_rows(), 2) << "any column, any case";
    log.cause_filter()->setCurrentIndex(log.cause_filter()->findData(QStringLiteral("prefix")));
    EXPECT_EQ(log.shown_rows(), 1);
    log.text_filter()->clear();
    EXPECT_EQ(log.shown_rows(), 1);
    log.cause_filter()->setCurrentIndex(0);
    EXPECT_EQ(log.shown_rows(), 3);

    log.view()->sortByColumn(InvalidationLogModel::delay_column, Qt::AscendingOrder);
    const QAbstractItemModel& shown = *log.view()->model();
    EXPECT_EQ(cell(shown, 0, InvalidationLogModel::delay_column), "1.00 ms");
    EXPECT_EQ(cell(shown, 1, InvalidationLogModel::delay_column), "9.00 ms")
        << "9 ms before 20 ms: numbers, not text";
    EXPECT_EQ(cell(shown, 2, InvalidationLogModel::delay_column), "20.00 ms");
}

TEST(InvalidationLog, ShowsTheEventsOfARealInvalidationLesson) {
    MainWindow w;
    ASSERT_TRUE(w.open_scenario(QStringLiteral("event_invalidation")));
    const InvalidationLogModel& m = *w.invalidation_log()->model();
    auto has_event_from_the_feed = [&] {
        for (int row = 0; row < m.rowCount(); ++row)
            if (cell(m, row, InvalidationLogModel::cause_column) == "key" &&
                cell(m, row, InvalidationLogModel::source_column) != "—")
                return true;
        return false;
    };
    EXPECT_TRUE(eventually(has_event_from_the_feed)) << m.rowCount() << " rows";
}

}  // namespace
}  // namespace cs::ui::test
