#include "app/studio/ChainSetupPanel.h"

#include "core/chain/ChainConfig.h"
#include "core/chain/Presets.h"
#include "core/common/Error.h"
#include "core/common/Json.h"
#include "core/runtime/BlasTuning.h"
#include "widgets/CfgScheduleEditor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QGroupBox>
#include <QLabel>
#include <QHBoxLayout>
#include <QLineEdit>
#include <QMenu>
#include <QPushButton>
#include <QScrollArea>
#include <QSpinBox>
#include <QToolButton>
#include <QVBoxLayout>

namespace redifine {

namespace {

QJsonObject withValue(QJsonObject object, const QStringList &path, const QJsonValue &value)
{
    if (path.size() == 1) {
        object.insert(path.first(), value);
        return object;
    }
    object.insert(path.first(), withValue(object.value(path.first()).toObject(), path.mid(1), value));
    return object;
}

QSpinBox *spinBox(int low, int high)
{
    auto *box = new QSpinBox;
    box->setRange(low, high);
    return box;
}

QDoubleSpinBox *doubleBox(double low, double high, double step, int decimals)
{
    auto *box = new QDoubleSpinBox;
    box->setRange(low, high);
    box->setSingleStep(step);
    box->setDecimals(decimals);
    return box;
}

// A loaded value that is not among a fixed list's choices is shown as it is, so validation marks it, instead of
// the list silently keeping its previous choice.
void showChoice(QComboBox *combo, const QString &text)
{
    if (combo->findText(text) < 0)
        combo->addItem(text);
    combo->setCurrentText(text);
}

// A path field with a "…" button beside it offering `choices` (label, dialog returning a path or nothing).
QWidget *withBrowseButton(QLineEdit *edit, const QList<QPair<QString, std::function<QString()>>> &choices)
{
    auto *button = new QToolButton;
    button->setText(QStringLiteral("…"));
    button->setToolTip(choices.first().first);
    const auto choose = [edit](const std::function<QString()> &dialog) {
        const QString path = dialog();
        if (!path.isEmpty())
            edit->setText(path);   // the panel validates on textChanged
    };
    if (choices.size() == 1) {
        QObject::connect(button, &QToolButton::clicked, edit, [choose, dialog = choices.first().second] { choose(dialog); });
    } else {
        auto *menu = new QMenu(button);
        for (const auto &[label, dialog] : choices)
            menu->addAction(label, edit, [choose, dialog = dialog] { choose(dialog); });
        button->setMenu(menu);
        button->setPopupMode(QToolButton::InstantPopup);
    }
    auto *row = new QWidget;
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(edit);
    layout->addWidget(button);
    return row;
}

} // namespace

ChainSetupPanel::ChainSetupPanel(QWidget *parent)
    : QWidget(parent), m_preset(new QComboBox), m_schedule(new CfgScheduleEditor), m_error(new QLabel)
{
    for (const auto &[name, description] : listPresets()) {
        m_preset->addItem(name, name);
        m_preset->setItemData(m_preset->count() - 1, description, Qt::ToolTipRole);
    }
    m_error->setWordWrap(true);
    m_error->setStyleSheet(QStringLiteral("color: #b00020"));

    auto *chain = new QGroupBox(tr("Chain"));
    auto *chainForm = new QFormLayout(chain);
    auto *name = new QLineEdit;
    addField(QStringLiteral("name"), name, [name] { return QJsonValue(name->text()); }, [name](const QJsonValue &v) { name->setText(v.toString()); });
    chainForm->addRow(tr("Name"), name);
    auto *iterations = spinBox(0, 100);
    addField(QStringLiteral("iterations"), iterations, [iterations] { return QJsonValue(iterations->value()); },
             [iterations](const QJsonValue &v) { iterations->setValue(v.toInt()); });
    chainForm->addRow(tr("Iterations K"), iterations);
    auto *perPrompt = spinBox(0, 100);
    addField(QStringLiteral("images_per_prompt"), perPrompt, [perPrompt] { return QJsonValue(perPrompt->value()); },
             [perPrompt](const QJsonValue &v) { perPrompt->setValue(v.toInt()); });
    chainForm->addRow(tr("Images per prompt"), perPrompt);
    auto *mixing = doubleBox(-1.0, 2.0, 0.1, 2);
    addField(QStringLiteral("real_mixing"), mixing, [mixing] { return QJsonValue(mixing->value()); },
             [mixing](const QJsonValue &v) { mixing->setValue(v.toDouble()); });
    chainForm->addRow(tr("Real-image mixing"), mixing);
    auto *seed = spinBox(0, 1 << 30);
    addField(QStringLiteral("seed"), seed, [seed] { return QJsonValue(seed->value()); }, [seed](const QJsonValue &v) { seed->setValue(v.toInt()); });
    chainForm->addRow(tr("Seed"), seed);

    auto *model = new QGroupBox(tr("Base model M_0"));
    auto *modelForm = new QFormLayout(model);
    auto *family = new QComboBox;
    family->addItems({QStringLiteral("tiny"), QStringLiteral("sd15")});
    addField(QStringLiteral("model.family"), family, [family] { return QJsonValue(family->currentText()); },
             [family](const QJsonValue &v) { showChoice(family, v.toString(QStringLiteral("tiny"))); });
    modelForm->addRow(tr("Family"), family);
    auto *checkpoint = new QLineEdit;
    checkpoint->setPlaceholderText(tr("tiny: the shipped model; sd15: your .safetensors file or diffusers folder"));
    addField(QStringLiteral("model.path"), checkpoint, [checkpoint] { return QJsonValue(checkpoint->text()); },
             [checkpoint](const QJsonValue &v) { checkpoint->setText(v.toString()); });
    modelForm->addRow(tr("Checkpoint"), withBrowseButton(checkpoint, {
        {tr("Checkpoint file…"), [this] { return QFileDialog::getOpenFileName(this, tr("Stable Diffusion 1.5 checkpoint"), {},
                                                                             tr("Safetensors (*.safetensors)")); }},
        {tr("Diffusers folder…"), [this] { return QFileDialog::getExistingDirectory(this, tr("Stable Diffusion 1.5 diffusers folder")); }}}));
    auto *resolution = spinBox(64, 2048);
    resolution->setSingleStep(64);
    resolution->setToolTip(tr("Image size of sd15 chains (SD1.5: 512); a tiny model file carries its own"));
    addField(QStringLiteral("model.resolution"), resolution, [resolution] { return QJsonValue(resolution->value()); },
             [this, resolution](const QJsonValue &v) {
                 if (resolution->isEnabled())
                     resolution->setValue(v.toInt(512));
                 else   // tiny is shown: keep the value for sd15
                     m_sd15Resolution = v.toInt(512);
             });
    modelForm->addRow(tr("Resolution"), resolution);
    // A tiny model file carries its own size (64 x 64 for the shipped one): show that, and keep the sd15 value
    // for when the family is switched back.
    const auto showFamily = [this, resolution](const QString &name) {
        const bool tiny = name == QLatin1String("tiny");
        if (tiny == !resolution->isEnabled())
            return;
        if (tiny) {
            m_sd15Resolution = resolution->value();
            resolution->setValue(64);
        } else {
            resolution->setValue(m_sd15Resolution);
        }
        resolution->setEnabled(!tiny);
    };
    connect(family, &QComboBox::currentTextChanged, resolution, showFamily);
    showFamily(family->currentText());
    auto *cpuMatmuls = new QComboBox;
    cpuMatmuls->addItems({QStringLiteral("fp32"), QStringLiteral("bf16")});
    cpuMatmuls->setToolTip(cpuHasNativeBf16() ? tr("bf16 trains and samples faster on this CPU (AVX-512 BF16); fp32 is the reference precision")
                                              : tr("This CPU has no AVX-512 BF16: bf16 would be emulated and slower than fp32"));
    addField(QStringLiteral("cpu_matmuls"), cpuMatmuls, [cpuMatmuls] { return QJsonValue(cpuMatmuls->currentText()); },
             [cpuMatmuls](const QJsonValue &v) { showChoice(cpuMatmuls, v.toString(QStringLiteral("fp32"))); });
    modelForm->addRow(tr("CPU matrix products"), cpuMatmuls);

    auto *data = new QGroupBox(tr("Data D_0"));
    auto *dataForm = new QFormLayout(data);
    auto *group = new QComboBox;
    group->addItems({QStringLiteral("animals-nature"), QStringLiteral("smileys-emotion"), QStringLiteral("people-body"),
                     QStringLiteral("food-drink"), QStringLiteral("travel-places"), QStringLiteral("activities"),
                     QStringLiteral("objects"), QStringLiteral("symbols"), QStringLiteral("flags")});
    group->setEditable(true);
    addField(QStringLiteral("dataset.emoji_group"), group, [group] { return QJsonValue(group->currentText()); },
             [group](const QJsonValue &v) { group->setCurrentText(v.toString()); });
    dataForm->addRow(tr("Emoji group"), group);
    auto *variants = spinBox(0, 1000);
    variants->setToolTip(tr("Pictures of each emoji: 1 is the plain emoji on white; more adds it moved, smaller and on light backgrounds"));
    addField(QStringLiteral("dataset.emoji_variants"), variants, [variants] { return QJsonValue(variants->value()); },
             [variants](const QJsonValue &v) { variants->setValue(v.toInt(1)); });
    dataForm->addRow(tr("Pictures per emoji"), variants);
    auto *path = new QLineEdit;
    path->setPlaceholderText(tr("or an image folder (kohya or imagefolder layout)"));
    addField(QStringLiteral("dataset.path"), path, [path] { return QJsonValue(path->text()); }, [path](const QJsonValue &v) { path->setText(v.toString()); });
    dataForm->addRow(tr("Folder"), withBrowseButton(path, {
        {tr("Image folder…"), [this] { return QFileDialog::getExistingDirectory(this, tr("Image folder for D_0")); }}}));
    auto *limit = spinBox(-1, 100000);
    limit->setSpecialValueText(tr("all"));
    limit->setMinimum(0);
    addField(QStringLiteral("dataset.limit"), limit, [limit] { return QJsonValue(limit->value()); }, [limit](const QJsonValue &v) { limit->setValue(v.toInt()); });
    dataForm->addRow(tr("Images"), limit);

    auto *finetune = new QGroupBox(tr("Finetune (LoRA)"));
    auto *finetuneForm = new QFormLayout(finetune);
    auto *drop = doubleBox(-1.0, 2.0, 0.05, 2);
    drop->setToolTip(tr("Condition-drop probability p: ReDiFine uses 0.2"));
    addField(QStringLiteral("finetune.condition_drop"), drop, [drop] { return QJsonValue(drop->value()); }, [drop](const QJsonValue &v) { drop->setValue(v.toDouble()); });
    finetuneForm->addRow(tr("Condition drop p"), drop);
    auto *maxSteps = spinBox(0, 1000000);
    maxSteps->setSpecialValueText(tr("epochs decide"));
    addField(QStringLiteral("finetune.max_steps"), maxSteps, [maxSteps] { return QJsonValue(maxSteps->value()); },
             [maxSteps](const QJsonValue &v) { maxSteps->setValue(v.toInt()); });
    finetuneForm->addRow(tr("Steps per iteration"), maxSteps);
    auto *epochs = spinBox(0, 10000);
    addField(QStringLiteral("finetune.epochs"), epochs, [epochs] { return QJsonValue(epochs->value()); }, [epochs](const QJsonValue &v) { epochs->setValue(v.toInt()); });
    finetuneForm->addRow(tr("Epochs"), epochs);
    auto *rank = spinBox(0, 256);
    addField(QStringLiteral("finetune.lora_rank"), rank, [rank] { return QJsonValue(rank->value()); }, [rank](const QJsonValue &v) { rank->setValue(v.toInt()); });
    finetuneForm->addRow(tr("LoRA rank"), rank);
    auto *convRank = spinBox(0, 256);
    convRank->setSpecialValueText(tr("off"));
    convRank->setToolTip(tr("kohya's conv_dim: LoCon adapters on the ResNet and sampler convolutions as well"));
    addField(QStringLiteral("finetune.conv_rank"), convRank, [convRank] { return QJsonValue(convRank->value()); },
             [convRank](const QJsonValue &v) { convRank->setValue(v.toInt()); });
    finetuneForm->addRow(tr("LoCon rank"), convRank);

    auto *sampler = new QGroupBox(tr("Sampler and CFG"));
    auto *samplerForm = new QFormLayout(sampler);
    auto *steps = spinBox(0, 1000);
    addField(QStringLiteral("sampler.steps"), steps, [steps] { return QJsonValue(steps->value()); }, [steps](const QJsonValue &v) { steps->setValue(v.toInt()); });
    connect(steps, &QSpinBox::valueChanged, m_schedule, &CfgScheduleEditor::setSteps);
    samplerForm->addRow(tr("Steps T"), steps);
    auto *samplerKind = new QComboBox;
    samplerKind->addItems({QStringLiteral("euler_a"), QStringLiteral("euler"), QStringLiteral("ddim")});
    addField(QStringLiteral("sampler.sampler"), samplerKind, [samplerKind] { return QJsonValue(samplerKind->currentText()); },
             [samplerKind](const QJsonValue &v) { showChoice(samplerKind, v.toString()); });
    samplerForm->addRow(tr("Sampler"), samplerKind);
    samplerForm->addRow(m_schedule);
    m_schedule->setMinimumHeight(260);
    addField(QStringLiteral("sampler.cfg"), m_schedule, [this] { return QJsonValue(m_schedule->schedule().toJson()); },
             [this](const QJsonValue &v) {
                 try {
                     m_schedule->setSchedule(CfgSchedule::fromJson(v.toObject(), QStringLiteral("sampler.cfg")));
                 } catch (const InputError &) {
                 }
             });

    auto *queue = new QPushButton(tr("Queue chain"));
    queue->setObjectName(QStringLiteral("queueChainButton"));
    connect(queue, &QPushButton::clicked, this, [this] {
        if (validate().isEmpty())
            Q_EMIT queueRequested(config());
    });
    auto *content = new QWidget;
    auto *layout = new QVBoxLayout(content);
    auto *presetRow = new QFormLayout;
    presetRow->addRow(tr("Preset"), m_preset);
    layout->addLayout(presetRow);
    for (QGroupBox *box : {chain, model, data, finetune, sampler})
        layout->addWidget(box);
    layout->addWidget(m_error);
    layout->addWidget(queue);
    auto *scroll = new QScrollArea;
    scroll->setWidget(content);
    scroll->setWidgetResizable(true);
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    outer->addWidget(scroll);

    connect(m_preset, &QComboBox::currentIndexChanged, this, [this] { loadPreset(m_preset->currentData().toString()); });
    connect(m_schedule, &CfgScheduleEditor::scheduleChanged, this, [this] { validate(); });
    const int quick = m_preset->findData(QStringLiteral("redifine-quick"));
    m_preset->setCurrentIndex(std::max(0, quick));
    loadPreset(m_preset->currentData().toString());
}

void ChainSetupPanel::addField(const QString &dottedKey, QWidget *widget, std::function<QJsonValue()> value,
                               std::function<void(const QJsonValue &)> setValue)
{
    widget->setObjectName(dottedKey);
    m_fields.insert(dottedKey, {widget, std::move(value), std::move(setValue)});
    // Validate as the user edits: every field widget here emits one of these.
    if (auto *spin = qobject_cast<QSpinBox *>(widget))
        connect(spin, &QSpinBox::valueChanged, this, [this] { validate(); });
    else if (auto *dspin = qobject_cast<QDoubleSpinBox *>(widget))
        connect(dspin, &QDoubleSpinBox::valueChanged, this, [this] { validate(); });
    else if (auto *line = qobject_cast<QLineEdit *>(widget))
        connect(line, &QLineEdit::textChanged, this, [this] { validate(); });
    else if (auto *combo = qobject_cast<QComboBox *>(widget))
        connect(combo, &QComboBox::currentTextChanged, this, [this] { validate(); });
}

void ChainSetupPanel::loadPreset(const QString &name)
{
    if (name.isEmpty())
        return;
    setConfig(presetConfig(name));
}

void ChainSetupPanel::setConfig(const QJsonObject &config)
{
    m_base = config;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it) {
        const QSignalBlocker block(it->widget);
        it->setValue(json::valueAt(m_base, it.key()));
    }
    validate();
}

void ChainSetupPanel::setField(const QString &dottedKey, const QVariant &value)
{
    if (m_fields.contains(dottedKey))
        m_fields[dottedKey].setValue(QJsonValue::fromVariant(value));
    validate();
}

QJsonObject ChainSetupPanel::config() const
{
    QJsonObject config = m_base;
    for (auto it = m_fields.begin(); it != m_fields.end(); ++it)
        config = withValue(config, it.key().split(QLatin1Char('.')), it->value());
    return config;
}

QString ChainSetupPanel::validate()
{
    try {
        ChainConfig::fromJson(config()).validateForRun();
        markError({});
        return {};
    } catch (const InputError &error) {
        const QString message = QString::fromUtf8(error.what());
        markError(message);
        return message;
    }
}

// The field named at the start of the message ("finetune.condition_drop: must lie in [0, 1]") gets a red
// frame and the message as its tooltip; a nested key ("sampler.cfg.scale") marks its closest field.
void ChainSetupPanel::markError(const QString &error)
{
    // The field marked before gets its own tooltip back (the explanations set when the panel was built).
    if (m_marked) {
        m_marked->setStyleSheet({});
        m_marked->setToolTip(m_markedToolTip);
        m_marked = nullptr;
    }
    m_error->setText(error);
    if (error.isEmpty())
        return;
    QString key = error.section(QLatin1Char(':'), 0, 0);
    while (!key.isEmpty() && !m_fields.contains(key))
        key = key.contains(QLatin1Char('.')) ? key.section(QLatin1Char('.'), 0, -2) : QString();
    if (!key.isEmpty()) {
        m_marked = m_fields[key].widget;
        m_markedToolTip = m_marked->toolTip();
        m_marked->setStyleSheet(QStringLiteral("border: 2px solid #b00020"));
        m_marked->setToolTip(error);
    }
}

} // namespace redifine
