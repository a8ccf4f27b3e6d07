#pragma once

#include <QCache>
#include <QObject>
#include <QPixmap>
#include <QSet>
#include <QThreadPool>

namespace redifine {

// Thumbnails of run images, decoded and scaled on a worker pool and cached (by path and size), so a grid of
// thousands of cells scrolls without touching the disk on the GUI thread. Run images never change once
// written, so a cached thumbnail stays valid.
class ThumbnailCache : public QObject
{
    Q_OBJECT
public:
    explicit ThumbnailCache(QObject *parent = nullptr);
    ~ThumbnailCache() override;

    // The thumbnail if cached; otherwise a null pixmap, and thumbnailReady(path) follows once it is loaded
    // (or failedToLoad(path) for a missing or truncated file).
    QPixmap thumbnail(const QString &path, int size);
    bool hasFailed(const QString &path) const { return m_failed.contains(path); }
    void waitForPendingLoads();

Q_SIGNALS:
    void thumbnailReady(const QString &path);
    void failedToLoad(const QString &path);

private:
    void loaded(const QString &path, int size, const QImage &image);

    QCache<QString, QPixmap> m_cache;
    QSet<QString> m_pending;
    QSet<QString> m_failed;
    QThreadPool m_pool;
};

} // namespace redifine
