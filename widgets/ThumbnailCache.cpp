#include "widgets/ThumbnailCache.h"

#include "core/common/InputFile.h"

#include <QImageReader>
#include <QMetaObject>
#include <QPointer>

namespace redifine {

namespace {

QString key(const QString &path, int size)
{
    return QString::number(size) + QLatin1Char(':') + path;
}

} // namespace

ThumbnailCache::ThumbnailCache(QObject *parent) : QObject(parent), m_cache(4000)
{
    m_pool.setMaxThreadCount(2);
}

ThumbnailCache::~ThumbnailCache()
{
    m_pool.clear();
    m_pool.waitForDone();
}

QPixmap ThumbnailCache::thumbnail(const QString &path, int size)
{
    const QString k = key(path, size);
    if (QPixmap *cached = m_cache.object(k))
        return *cached;
    if (m_pending.contains(k) || m_failed.contains(path))
        return {};
    m_pending.insert(k);
    QPointer<ThumbnailCache> self(this);
    m_pool.start([self, path, size] {
        // Only regular files: a FIFO planted in a run folder would block this pool thread forever.
        QImageReader reader(isRegularFile(path) ? path : QString());
        const QSize full = reader.size();
        if (full.isValid())
            reader.setScaledSize(full.scaled(size, size, Qt::KeepAspectRatio));
        const QImage image = reader.read();
        if (self)
            QMetaObject::invokeMethod(self, [self, path, size, image] {
                if (self)
                    self->loaded(path, size, image);
            }, Qt::QueuedConnection);
    });
    return {};
}

void ThumbnailCache::loaded(const QString &path, int size, const QImage &image)
{
    m_pending.remove(key(path, size));
    if (image.isNull()) {
        m_failed.insert(path);
        Q_EMIT failedToLoad(path);
        return;
    }
    // QPixmap belongs to the GUI thread: made here, from the worker's QImage.
    m_cache.insert(key(path, size), new QPixmap(QPixmap::fromImage(image)));
    Q_EMIT thumbnailReady(path);
}

void ThumbnailCache::waitForPendingLoads()
{
    m_pool.waitForDone();
}

} // namespace redifine
