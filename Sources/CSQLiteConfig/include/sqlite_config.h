#ifndef AGENTLOG_SQLITE_CONFIG_H
#define AGENTLOG_SQLITE_CONFIG_H

#include <sqlite3.h>

/// sqlite3_db_config() is variadic, which Swift cannot call: this sets
/// SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, so that closing the last connection does not checkpoint the
/// WAL (a checkpoint and its fsyncs cost a short-lived process such as the statusline more than
/// its whole query). Returns SQLite's result code.
int agentlog_sqlite_no_checkpoint_on_close(sqlite3 *db);

#endif
