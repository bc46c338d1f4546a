#include "shell/MainWindow.hpp"

#include <QAction>
#include <QActionGroup>
#include <QApplication>
#include <QThreadPool>
#include <QClipboard>
#include <QCloseEvent>
#include <QDir>
#include <QDockWidget>
#include <QDragEnterEvent>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QMenu>
#include <QMenuBar>
#include <QMessageBox>
#include <QMimeData>
#include <QPushButton>
#include <QScreen>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QUndoStack>
#include <QVBoxLayout>
#include <qcustomplot.h>

#include "shell/AppPaths.hpp"
#include "shared/Background.hpp"
#include "dataset/DataLoader.hpp"
#include "dataset/DataPanel.hpp"
#include "dialogs/ExplainDialog.hpp"
#include "dialogs/ExportDialog.hpp"
#include "outputs/ForwardPassAdapter.hpp"
#include "stack/LayerStackEditor.hpp"
#include "shell/MessageBar.hpp"
#include "plots/OutputView.hpp"
#include "plots/PaddingPreview.hpp"
#include "plots/PlotExporter.hpp"
#include "plots/ChannelPicker.hpp"
#include "plots/SequenceView.hpp"
#include "flow/ShapeFlowView.hpp"
#include "stack/StackDocument.hpp"
#include "shared/Theme.hpp"
#include "flow/TraceRunner.hpp"
#include "common/atomic_write.hpp"
#include "data/dataset_loader.hpp"
#include "interop/stack_json.hpp"
#include "kernels/blas_info.hpp"

static void initConvScopeResources() { Q_INIT_RESOURCE(convscope); }

namespace {
constexpr int kMaxRecent = 10;

struct OutputsBundle {
    SequenceData sequence;
    std::optional<SeriesMatrix> output;
    QString why;
    PaddingResult padding;
};

bool isProjectFile(const QString& path) { return path.endsWith(".convscope", Qt::CaseInsensitive); }
bool isStackFile(const QString& path) { return path.endsWith(".json", Qt::CaseInsensitive); }
}  // namespace

MainWindow::MainWindow(Options options, QWidget* parent)
    : QMainWindow(parent),
      m_options(options),
      m_doc(new StackDocument(this)),
      m_runner(new TraceRunner(this)),
      m_loader(new DataLoader(this)) {
    initConvScopeResources();
    setObjectName("mainWindow");
    setWindowIcon(QIcon(":/icons/convscope.svg"));
    setAcceptDrops(true);
    setDockNestingEnabled(true);

    auto* central = new QWidget(this);
    auto* cl = new QVBoxLayout(central);
    cl->setContentsMargins(4, 4, 4, 0);
    cl->setSpacing(4);
    m_message = new MessageBar(central);
    m_flow = new ShapeFlowView(central);
    cl->addWidget(m_message);
    cl->addWidget(m_flow, 1);
    setCentralWidget(central);

    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setInterval(30'000);
    m_outputsTimer = new QTimer(this);
    m_outputsTimer->setSingleShot(true);
    m_outputsTimer->setInterval(0);

    buildDocks();
    buildActions();
    connectSignals();
    readSettings();
    if (m_options.autosave) m_autosaveTimer->start();
    m_doc->reset(DocumentState{});
    updateTitle();
    statusBar()->showMessage(tr("Ready. Open a data file or a stack, or drop one on the window."));
}

// Background work captures its inputs by value, but it still runs engine code whose
// static tables are destroyed at exit: let it finish before the window (and, after
// the last window, the program) goes away.
MainWindow::~MainWindow() {
    QThreadPool::globalInstance()->waitForDone();
    // Children (the document's undo stack among them) are destroyed after this object's own
    // part: their last signals, such as cleanChanged(), must not reach a half-destroyed window.
    for (QObject* child : findChildren<QObject*>()) child->disconnect(this);
}

void MainWindow::buildDocks() {
    auto makeDock = [this](const QString& name, const QString& title, QWidget* w, Qt::DockWidgetArea area) {
        auto* d = new QDockWidget(title, this);
        d->setObjectName(name);
        d->setWidget(w);
        d->setFeatures(QDockWidget::DockWidgetMovable | QDockWidget::DockWidgetFloatable |
                       QDockWidget::DockWidgetClosable);
        addDockWidget(area, d);
        return d;
    };
    m_dataPanel = new DataPanel(this);
    m_editor = new LayerStackEditor(m_doc, this);
    m_sequence = new SequenceView(this);
    m_output = new OutputView(this);
    m_padding = new PaddingPreview(this);
    auto* dataDock = makeDock("dataDock", tr("Data"), m_dataPanel, Qt::LeftDockWidgetArea);
    auto* stackDock = makeDock("stackDock", tr("Layer stack"), m_editor, Qt::RightDockWidgetArea);
    auto* seqDock = makeDock("sequenceDock", tr("Sequence"), m_sequence, Qt::BottomDockWidgetArea);
    auto* outDock = makeDock("outputDock", tr("Output"), m_output, Qt::BottomDockWidgetArea);
    auto* padDock = makeDock("paddingDock", tr("Padding/masking"), m_padding, Qt::BottomDockWidgetArea);
    // The side docks run the full height; the plots sit under the flow only.
    setCorner(Qt::BottomLeftCorner, Qt::LeftDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    tabifyDockWidget(seqDock, outDock);
    tabifyDockWidget(outDock, padDock);
    seqDock->raise();
    resizeDocks({dataDock, stackDock}, {260, 380}, Qt::Horizontal);
    resizeDocks({seqDock}, {250}, Qt::Vertical);
}

QDockWidget* MainWindow::dock(const QString& objectName) const { return findChild<QDockWidget*>(objectName); }

QAction* MainWindow::action(const QString& objectName) const { return findChild<QAction*>(objectName); }

void MainWindow::buildActions() {
    auto make = [this](const QString& name, const QString& text, const QString& icon, const QKeySequence& key,
                       const QString& tip = {}) {
        auto* a = new QAction(icon.isEmpty() ? QIcon() : QIcon(icon), text, this);
        a->setObjectName(name);
        if (!key.isEmpty()) a->setShortcut(key);
        QString t = tip.isEmpty() ? QString(text).remove('&').remove(QStringLiteral("…")) : tip;
        if (!key.isEmpty()) t += " (" + key.toString(QKeySequence::NativeText) + ")";
        a->setToolTip(t);
        a->setStatusTip(t);
        return a;
    };

    // File
    auto* newStack = make("actionNewStack", tr("&New Stack"), ":/icons/new.svg", QKeySequence::New);
    auto* open = make("actionOpen", tr("&Open…"), ":/icons/open.svg", QKeySequence::Open,
                      tr("Open a project, a layer stack or a data file"));
    auto* openDataAct = make("actionOpenData", tr("Open &Data…"), ":/icons/open-data.svg",
                          QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_O));
    auto* save = make("actionSave", tr("&Save Project"), ":/icons/save.svg", QKeySequence::Save);
    auto* saveAs = make("actionSaveAs", tr("Save Project &As…"), QString(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_S));
    auto* exportAct = make("actionExport", tr("&Export…"), ":/icons/export.svg", QKeySequence(Qt::CTRL | Qt::Key_E),
                           tr("Export the stack as PyTorch, Keras or JSON, or a plot as PNG/SVG/PDF"));
    auto* exportPlot = make("actionExportPlot", tr("Export Current &Plot…"), QString(),
                            QKeySequence(Qt::CTRL | Qt::ALT | Qt::Key_E));
    auto* quit = make("actionQuit", tr("&Quit"), QString(), QKeySequence::Quit);
    QMenu* file = menuBar()->addMenu(tr("&File"));
    file->addAction(newStack);
    file->addAction(open);
    file->addAction(openDataAct);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName("recentMenu");
    file->addSeparator();
    file->addAction(save);
    file->addAction(saveAs);
    file->addSeparator();
    file->addAction(exportAct);
    file->addAction(exportPlot);
    file->addSeparator();
    file->addAction(quit);

    // Edit
    QUndoStack* undo = m_doc->undoStack();
    QAction* undoAct = undo->createUndoAction(this, tr("&Undo"));
    undoAct->setObjectName("actionUndo");
    undoAct->setIcon(QIcon(":/icons/undo.svg"));
    undoAct->setShortcut(QKeySequence::Undo);
    QAction* redoAct = undo->createRedoAction(this, tr("&Redo"));
    redoAct->setObjectName("actionRedo");
    redoAct->setIcon(QIcon(":/icons/redo.svg"));
    redoAct->setShortcuts({QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z), QKeySequence(Qt::CTRL | Qt::Key_Y)});
    auto* bestFix = make("actionApplyBestFix", tr("Apply &Best Fix"), ":/icons/fix.svg",
                         QKeySequence(Qt::CTRL | Qt::Key_Return), tr("Apply the first-ranked fix"));
    auto* copyStack = make("actionCopyStack", tr("&Copy Stack as JSON"), QString(),
                           QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_C));
    auto* pasteStack = make("actionPasteStack", tr("&Paste Stack from JSON"), QString(),
                            QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_V));
    m_editor->addAction()->setObjectName("actionAddLayer");
    m_editor->removeAction()->setObjectName("actionRemoveLayer");
    m_editor->duplicateAction()->setObjectName("actionDuplicateLayer");
    m_editor->moveUpAction()->setObjectName("actionMoveUp");
    m_editor->moveDownAction()->setObjectName("actionMoveDown");
    m_editor->toggleEnabledAction()->setObjectName("actionToggleLayer");
    QMenu* edit = menuBar()->addMenu(tr("&Edit"));
    edit->addAction(undoAct);
    edit->addAction(redoAct);
    edit->addSeparator();
    edit->addAction(m_editor->addAction());
    edit->addAction(m_editor->duplicateAction());
    edit->addAction(m_editor->removeAction());
    edit->addAction(m_editor->moveUpAction());
    edit->addAction(m_editor->moveDownAction());
    edit->addAction(m_editor->toggleEnabledAction());
    edit->addSeparator();
    edit->addAction(bestFix);
    edit->addSeparator();
    edit->addAction(copyStack);
    edit->addAction(pasteStack);

    // View
    QMenu* view = menuBar()->addMenu(tr("&View"));
    for (const char* name : {"dataDock", "stackDock", "sequenceDock", "outputDock", "paddingDock"}) {
        QAction* t = dock(name)->toggleViewAction();
        t->setObjectName(QStringLiteral("toggle_") + name);
        view->addAction(t);
    }
    view->addSeparator();
    auto* resetZoom = make("actionResetZoom", tr("&Reset Zoom"), QString(), QKeySequence(Qt::CTRL | Qt::Key_0));
    auto* nextSeq = make("actionNextSequence", tr("&Next Sequence"), QString(),
                         QKeySequence(Qt::CTRL | Qt::Key_PageDown));
    auto* prevSeq = make("actionPrevSequence", tr("&Previous Sequence"), QString(),
                         QKeySequence(Qt::CTRL | Qt::Key_PageUp));
    view->addAction(resetZoom);
    view->addAction(nextSeq);
    view->addAction(prevSeq);
    view->addSeparator();
    QMenu* themeMenu = view->addMenu(tr("&Theme"));
    auto* themes = new QActionGroup(this);
    auto* light = make("actionThemeLight", tr("&Light"), QString(), QKeySequence());
    auto* dark = make("actionThemeDark", tr("&Dark"), QString(), QKeySequence());
    for (QAction* a : {light, dark}) {
        a->setCheckable(true);
        themes->addAction(a);
        themeMenu->addAction(a);
    }

    // Help
    QMenu* help = menuBar()->addMenu(tr("&Help"));
    m_samplesMenu = help->addMenu(tr("Open &Sample"));
    m_samplesMenu->setObjectName("samplesMenu");
    auto* shortcuts = make("actionShortcuts", tr("&Keyboard Shortcuts"), QString(), QKeySequence(Qt::Key_F1));
    auto* about = make("actionAbout", tr("&About ConvScope"), QString(), QKeySequence());
    auto* aboutQt = make("actionAboutQt", tr("About &Qt"), QString(), QKeySequence());
    auto* explainAct = make("actionExplainError", tr("E&xplain an Error…"), QString(), QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_E),
                            tr("Paste a PyTorch or Keras error: the failing axis, the cause and the fix"));
    connect(explainAct, &QAction::triggered, this, [this] { explainDialog()->show(); });
    help->addAction(explainAct);
    help->addAction(shortcuts);
    help->addSeparator();
    help->addAction(about);
    help->addAction(aboutQt);

    // Toolbar
    QToolBar* bar = addToolBar(tr("Main"));
    bar->setObjectName("mainToolBar");
    bar->setIconSize(QSize(20, 20));
    bar->setToolButtonStyle(Qt::ToolButtonTextBesideIcon);
    bar->addAction(open);
    bar->addAction(openDataAct);
    bar->addAction(save);
    bar->addSeparator();
    bar->addAction(undoAct);
    bar->addAction(redoAct);
    // Their text names the edit ("Undo Fix: …"): icons only, the text is in the tooltip.
    for (QAction* a : {undoAct, redoAct})
        if (auto* b = qobject_cast<QToolButton*>(bar->widgetForAction(a))) b->setToolButtonStyle(Qt::ToolButtonIconOnly);
    bar->addSeparator();
    bar->addAction(m_editor->addAction());
    bar->addAction(bestFix);
    bar->addSeparator();
    bar->addAction(exportAct);

    connect(newStack, &QAction::triggered, this, [this] {
        if (!maybeSave()) return;
        DocumentState s;
        s.stack.name = tr("Untitled").toStdString();
        m_doc->reset(s);
        m_projectPath.clear();
        m_dataDirty = m_dataset.has_value();
        updateTitle();
    });
    connect(open, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open"), dialogDir(),
            tr("ConvScope files (*.convscope *.json);;Projects (*.convscope);;Layer stacks (*.convscope.json *.json);;"
               "Data (%1);;All files (*)")
                .arg(QString::fromLatin1(convscope::data::dataset_file_patterns())));
        if (!path.isEmpty()) openPath(path);
    });
    connect(openDataAct, &QAction::triggered, this, [this] {
        const QString path = QFileDialog::getOpenFileName(
            this, tr("Open data"), dialogDir(),
            tr("Sequences (%1);;All files (*)").arg(QString::fromLatin1(convscope::data::dataset_file_patterns())));
        if (!path.isEmpty()) openData(path);
    });
    connect(save, &QAction::triggered, this, [this] {
        if (m_projectPath.isEmpty() || m_projectPath == AppPaths::autosavePath())
            action("actionSaveAs")->trigger();
        else saveProject(m_projectPath);
    });
    connect(saveAs, &QAction::triggered, this, [this] {
        QString path = QFileDialog::getSaveFileName(this, tr("Save project"), dialogDir() + "/untitled.convscope",
                                                    tr("ConvScope projects (*.convscope)"));
        if (path.isEmpty()) return;
        if (!path.endsWith(".convscope")) path += ".convscope";
        saveProject(path);
    });
    connect(exportAct, &QAction::triggered, this, [this] {
        ExportDialog* d = createExportDialog();
        d->setAttribute(Qt::WA_DeleteOnClose);
        d->open();
    });
    connect(exportPlot, &QAction::triggered, this, [this] {
        QCustomPlot* plot = m_sequence->plot();
        QString name = "sequence";
        if (!dock("outputDock")->visibleRegion().isEmpty()) plot = m_output->heatmapPlot(), name = "output";
        else if (!dock("paddingDock")->visibleRegion().isEmpty()) plot = m_padding->paddedPlot(), name = "padding";
        PlotExporter::saveInteractively(this, plot, dialogDir() + "/" + name + ".png");
    });
    connect(quit, &QAction::triggered, this, &QWidget::close);
    connect(bestFix, &QAction::triggered, this, [this] { applyFix(0); });
    connect(copyStack, &QAction::triggered, this, [this] {
        QApplication::clipboard()->setText(QString::fromStdString(convscope::stack_to_json_text(m_doc->stack())));
        showInfo(tr("The stack is on the clipboard as JSON."));
    });
    connect(pasteStack, &QAction::triggered, this,
            [this] { importStackText(QApplication::clipboard()->text(), QStringLiteral("<clipboard>")); });
    connect(resetZoom, &QAction::triggered, m_sequence, &SequenceView::resetZoom);
    connect(nextSeq, &QAction::triggered, this, [this] {
        if (m_dataset && m_sequenceIndex + 1 < m_dataset->size()) m_dataPanel->selectSequence(m_sequenceIndex + 1);
    });
    connect(prevSeq, &QAction::triggered, this, [this] {
        if (m_sequenceIndex > 0) m_dataPanel->selectSequence(m_sequenceIndex - 1);
    });
    connect(light, &QAction::triggered, this, [this] { setTheme("light"); });
    connect(dark, &QAction::triggered, this, [this] { setTheme("dark"); });
    connect(shortcuts, &QAction::triggered, this, &MainWindow::showShortcuts);
    connect(about, &QAction::triggered, this, &MainWindow::showAbout);
    connect(aboutQt, &QAction::triggered, qApp, &QApplication::aboutQt);
    connect(m_recentMenu, &QMenu::aboutToShow, this, &MainWindow::rebuildRecentMenu);
    connect(m_samplesMenu, &QMenu::aboutToShow, this, [this] {
        m_samplesMenu->clear();
        const QStringList samples = AppPaths::bundledSamples();
        if (samples.isEmpty()) m_samplesMenu->addAction(tr("(no samples found)"))->setEnabled(false);
        for (const QString& s : samples)
            m_samplesMenu->addAction(QFileInfo(s).fileName(), this, [this, s] { openPath(s); });
    });
}

void MainWindow::connectSignals() {
    connect(m_doc, &StackDocument::changed, this, &MainWindow::onDocumentChanged);
    connect(m_doc->undoStack(), &QUndoStack::cleanChanged, this, &MainWindow::updateTitle);
    connect(m_runner, &TraceRunner::traceReady, this, &MainWindow::onTraceReady);
    connect(m_runner, &TraceRunner::busyChanged, m_flow, &ShapeFlowView::setBusy);
    connect(m_runner, &TraceRunner::busyChanged, this, [this](bool busy) {
        for (auto* b : m_flow->fixButtons()) b->setEnabled(!busy);
    });
    connect(m_flow, &ShapeFlowView::fixRequested, this, &MainWindow::applyFix);
    connect(m_flow, &ShapeFlowView::stepSelected, this, &MainWindow::selectStep);
    connect(m_editor, &LayerStackEditor::layerSelected, this, [this](int row) {
        const auto& t = m_runner->trace();
        if (!t || row < 0) return;
        for (size_t i = 0; i < t->steps.size(); ++i)
            if (t->steps[i].index == row && int(i) != m_selectedStep) {
                m_selectedStep = int(i);
                m_flow->setSelectedStep(m_selectedStep);
                scheduleOutputs();
            }
    });
    connect(m_editor, &LayerStackEditor::errorMessage, this, &MainWindow::showError);
    connect(m_dataPanel, &DataPanel::openRequested, action("actionOpenData"), &QAction::trigger);
    connect(m_dataPanel, &DataPanel::sequenceSelected, this, [this](int i) {
        if (i < 0 || i == m_sequenceIndex) return;
        m_sequenceIndex = i;
        m_sequence->highlightSteps(-1, -1);
        scheduleOutputs();
    });
    connect(m_dataPanel, &DataPanel::revertDataChangeRequested, this,
            [this] { m_doc->setDataChange(std::nullopt, tr("Feed the data as stored")); });
    connect(m_loader, &DataLoader::loaded, this, [this](const QString& path, const convscope::data::Dataset& ds) {
        m_dataset = ds;
        m_dataPath = QFileInfo(path).absoluteFilePath();
        m_dataDirty = true;
        m_sequenceIndex = 0;
        addRecent(path);
        if (m_doc->state().dataChange && !m_pendingView) {
            // A data change belongs to the data it was made for.
            m_doc->setDataChange(std::nullopt, tr("Open %1").arg(QFileInfo(path).fileName()));
        }
        m_dataPanel->setDataset(m_dataPath, &*m_dataset, m_doc->state());
        if (m_pendingView) {
            m_dataDirty = false;
            applyViewState(*m_pendingView);
            m_pendingView.reset();
        }
        m_sequence->highlightSteps(-1, -1);
        updateTitle();
        retrace();
        scheduleOutputs();
        statusBar()->showMessage(tr("Opened %1: %2 sequences.").arg(QFileInfo(path).fileName()).arg(ds.size()), 5000);
        emit dataLoaded();
    });
    connect(m_loader, &DataLoader::failed, this, [this](const QString&, const QString& message) {
        m_pendingView.reset();
        // The previous data stays.
        m_dataPanel->setDataset(m_dataPath, m_dataset ? &*m_dataset : nullptr, m_doc->state());
        showError(message);
        emit dataFailed(message);
    });
    connect(m_output, &OutputView::stepClicked, this, [this](int64_t outStep) {
        const auto& t = m_runner->trace();
        if (!t) return;
        // The plot shows the data as the data panel reads it; when the stack reads it the
        // other way round, the stack's input steps are not the plot's steps.
        if (!m_sequence->sequence().readingNote.isEmpty()) {
            m_sequence->highlightSteps(-1, -1);
            statusBar()->showMessage(tr("Output step %1: %2, so its input steps are not the plotted ones.")
                                         .arg(outStep)
                                         .arg(m_sequence->sequence().readingNote),
                                     6000);
            return;
        }
        const int64_t len = m_sequence->sequence().length;
        auto [a, b] = ForwardPassAdapter::receptiveWindow(*t, m_selectedStep, outStep, len);
        m_sequence->highlightSteps(a, b);
        statusBar()->showMessage(tr("Output step %1 reads input steps %2–%3.").arg(outStep).arg(a).arg(b), 6000);
    });
    connect(m_padding, &PaddingPreview::settingsChanged, this, [this] {
        m_dataDirty = true;
        updateTitle();
        scheduleOutputs();
    });
    connect(m_outputsTimer, &QTimer::timeout, this, &MainWindow::updateOutputs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::writeAutosave);
}

// ---------------------------------------------------------------- settings

void MainWindow::readSettings() {
    QSettings s;
    const QString theme = s.value("theme", "light").toString();
    setTheme(theme);
    // The first start fits the screen it opens on (a 1024x700 display included).
    if (!restoreGeometry(s.value("geometry").toByteArray()))
        resize(screen() ? QSize(1440, 900).boundedTo(screen()->availableGeometry().size()) : QSize(1440, 900));
    restoreState(s.value("windowState").toByteArray());
    m_padding->setSettings(PaddingSettings{});
}

void MainWindow::writeSettings() const {
    QSettings s;
    s.setValue("geometry", saveGeometry());
    s.setValue("windowState", saveState());
    s.setValue("theme", Theme::name(Theme::current()));
}

QString MainWindow::dialogDir() const {
    if (!m_projectPath.isEmpty()) return QFileInfo(m_projectPath).absolutePath();
    if (!m_dataPath.isEmpty()) return QFileInfo(m_dataPath).absolutePath();
    return QSettings().value("lastDir", QDir::homePath()).toString();
}

void MainWindow::addRecent(const QString& path) {
    QSettings s;
    QStringList recent = s.value("recentFiles").toStringList();
    const QString abs = QFileInfo(path).absoluteFilePath();
    recent.removeAll(abs);
    recent.prepend(abs);
    while (recent.size() > kMaxRecent) recent.removeLast();
    s.setValue("recentFiles", recent);
    s.setValue("lastDir", QFileInfo(abs).absolutePath());
}

void MainWindow::rebuildRecentMenu() {
    m_recentMenu->clear();
    const QStringList recent = QSettings().value("recentFiles").toStringList();
    if (recent.isEmpty()) m_recentMenu->addAction(tr("(none)"))->setEnabled(false);
    int n = 1;
    for (const QString& path : recent) {
        QAction* a = m_recentMenu->addAction(QStringLiteral("&%1 %2").arg(n++ % 10).arg(QFileInfo(path).fileName()),
                                             this, [this, path] { openPath(path); });
        a->setToolTip(QDir::toNativeSeparators(path));
        a->setEnabled(QFileInfo::exists(path));
    }
    m_recentMenu->addSeparator();
    m_recentMenu->addAction(tr("Clear list"), this, [] { QSettings().remove("recentFiles"); });
}

void MainWindow::setTheme(const QString& name) {
    Theme::apply(Theme::fromName(name));
    if (QAction* a = action(name == "dark" ? "actionThemeDark" : "actionThemeLight")) a->setChecked(true);
    m_sequence->restyle();
    m_output->restyle();
    m_padding->restyle();
    if (m_runner->trace()) onTraceReady();  // recolour the flow
    QSettings().setValue("theme", name);
}

// ---------------------------------------------------------------- messages

void MainWindow::showError(const QString& message) {
    m_message->showMessage(message, MessageBar::Kind::Error);
    statusBar()->showMessage(message.section('\n', 0, 0), 8000);
}

void MainWindow::showInfo(const QString& message) {
    m_message->showMessage(message, MessageBar::Kind::Info);
}

void MainWindow::updateTitle() {
    QString name = m_projectPath.isEmpty() ? QString::fromStdString(m_doc->stack().name) : QFileInfo(m_projectPath).fileName();
    if (name.isEmpty()) name = tr("Untitled");
    setWindowTitle(QStringLiteral("%1[*] — ConvScope").arg(name));
    setWindowModified(isModified());
}

bool MainWindow::isModified() const { return !m_doc->undoStack()->isClean() || m_dataDirty; }

// ---------------------------------------------------------------- opening and saving

bool MainWindow::openPath(const QString& path) {
    if (!QFileInfo::exists(path)) {
        showError(tr("%1: no such file.").arg(QDir::toNativeSeparators(path)));
        return false;
    }
    if (isProjectFile(path)) return openProject(path);
    if (isStackFile(path)) return openStack(path);
    openData(path);
    return true;
}

bool MainWindow::openProject(const QString& path) {
    if (!maybeSave()) return false;
    QString error;
    auto project = ProjectFile::load(path, &error);
    if (!project) {
        showError(error);
        return false;
    }
    m_doc->reset(project->document);
    m_projectPath = QFileInfo(path).absoluteFilePath();
    m_weightsPath = project->weightsPath;
    m_dataDirty = false;
    m_selectedStep = project->view.step >= 0 ? project->view.step : 0;
    m_padding->setSettings(project->view.padding);
    addRecent(path);
    updateTitle();
    m_message->hide();
    if (!project->dataPath.isEmpty()) {
        if (!QFileInfo::exists(project->dataPath)) {
            showError(tr("The project's data file %1 is missing; the stack is traced on its declared input shape.")
                          .arg(QDir::toNativeSeparators(project->dataPath)));
            m_dataset.reset();
            m_dataPath.clear();
            m_dataPanel->setDataset(QString(), nullptr, m_doc->state());
            applyViewState(project->view);
        } else {
            m_pendingView = project->view;
            m_dataPanel->setLoading(project->dataPath);
            m_loader->load(project->dataPath);
        }
    } else {
        m_dataset.reset();
        m_dataPath.clear();
        m_dataPanel->setDataset(QString(), nullptr, m_doc->state());
        m_sequence->clear(tr("This project has no data file."));
        applyViewState(project->view);
    }
    retrace();
    statusBar()->showMessage(tr("Opened project %1.").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

bool MainWindow::openStack(const QString& path) {
    auto stack = convscope::load_stack_file(path.toStdString());
    if (!stack) {
        showError(QString::fromStdString(stack.error().message));
        return false;
    }
    DocumentState s;
    s.stack = std::move(stack.value());
    if (!m_doc->undoStack()->isClean() && m_doc->layerCount() > 0) {
        // Keep the old stack one Ctrl+Z away rather than asking.
        m_doc->replaceStack(s.stack, tr("Open %1").arg(QFileInfo(path).fileName()));
    } else {
        m_doc->reset(s);
    }
    m_selectedStep = 0;
    addRecent(path);
    m_message->hide();
    updateTitle();
    statusBar()->showMessage(tr("Opened stack %1.").arg(QFileInfo(path).fileName()), 5000);
    return true;
}

bool MainWindow::importStackText(const QString& text, const QString& source) {
    auto stack = convscope::parse_stack_json(text.toStdString(), source.toStdString());
    if (!stack) {
        showError(QString::fromStdString(stack.error().message));
        return false;
    }
    if (!m_doc->replaceStack(stack.value(), tr("Paste stack"))) {
        showInfo(tr("The pasted stack is the same as the current one."));
        return false;
    }
    return true;
}

void MainWindow::openData(const QString& path) {
    m_dataPanel->setLoading(path);
    statusBar()->showMessage(tr("Opening %1…").arg(QFileInfo(path).fileName()));
    m_loader->load(path);
}

ProjectData MainWindow::currentProject() const {
    ProjectData p;
    p.dataPath = m_dataPath;
    p.weightsPath = m_weightsPath;
    p.document = m_doc->state();
    p.view.sequence = m_sequenceIndex;
    p.view.step = m_selectedStep;
    p.view.sequenceChannels = m_sequence->channelPicker()->selection();
    for (int c : m_sequence->drawnChannels())
        if (!m_sequence->isChannelVisible(c)) p.view.hiddenChannels << c;
    p.view.outputChannels = m_output->plottedChannels();
    p.view.padding = m_padding->settings();
    return p;
}

void MainWindow::applyViewState(const ProjectViewState& view) {
    m_padding->setSettings(view.padding);
    if (m_dataset && view.sequence >= 0 && view.sequence < m_dataset->size()) {
        m_sequenceIndex = view.sequence;
        m_dataPanel->selectSequence(view.sequence);
    }
    m_selectedStep = view.step >= 0 ? view.step : 0;
    m_flow->setSelectedStep(m_selectedStep);
    if (!view.outputChannels.isEmpty()) m_output->setPlottedChannels(view.outputChannels);
    m_sequence->setProperty("pendingHidden", QVariant::fromValue(view.hiddenChannels));
    m_sequence->setProperty("pendingChannels", QVariant::fromValue(view.sequenceChannels));
    scheduleOutputs();
}

bool MainWindow::saveProject(const QString& path) {
    const QString error = ProjectFile::save(path, currentProject());
    if (!error.isEmpty()) {
        showError(error);
        return false;
    }
    m_projectPath = QFileInfo(path).absoluteFilePath();
    m_doc->undoStack()->setClean();
    m_dataDirty = false;
    addRecent(path);
    updateTitle();
    QFile::remove(AppPaths::autosavePath());
    statusBar()->showMessage(tr("Saved %1.").arg(QDir::toNativeSeparators(path)), 5000);
    return true;
}

bool MainWindow::maybeSave() {
    if (!m_options.interactive || !isModified()) return true;
    const auto answer = QMessageBox::warning(
        this, tr("Unsaved changes"), tr("The project has unsaved changes. Save them first?"),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel) return false;
    if (answer == QMessageBox::Discard) return true;
    action("actionSave")->trigger();
    return !isModified();
}

bool MainWindow::openFirstRunSample() {
    const QString sample = AppPaths::firstRunSample();
    if (sample.isEmpty()) {
        showInfo(tr("Welcome to ConvScope. Open your sequences (Ctrl+Shift+O) and a layer stack (Ctrl+O), or build "
                    "one from the palette on the right."));
        return false;
    }
    const bool ok = openProject(sample);
    if (ok) {
        m_projectPath.clear();  // a sample is a starting point, saved elsewhere
        updateTitle();
        showInfo(tr("Welcome! This sample feeds PyTorch-layout data (batch, channels, length) to a Keras stack. "
                    "The red axis is where it breaks; click the green fix below to repair it."));
    }
    return ok;
}

void MainWindow::writeAutosave() {
    if (!isModified()) return;
    nlohmann::json j = ProjectFile::toJson(currentProject(), AppPaths::autosavePath());
    j["autosave_of"] = m_projectPath.toStdString();
    (void)convscope::write_file_atomically(AppPaths::autosavePath().toStdString(), j.dump(2) + "\n");
}

void MainWindow::offerRecovery() {
    const QString path = AppPaths::autosavePath();
    if (!QFileInfo::exists(path)) return;
    if (m_options.interactive) {
        const auto answer = QMessageBox::question(
            this, tr("Recover unsaved work?"),
            tr("ConvScope did not close cleanly last time. Recover the work it saved automatically?"),
            QMessageBox::Yes | QMessageBox::No, QMessageBox::Yes);
        if (answer != QMessageBox::Yes) {
            QFile::remove(path);
            return;
        }
    }
    QString original;
    if (auto text = convscope::read_text_file(path.toStdString())) {
        auto j = nlohmann::json::parse(text.value(), nullptr, false);
        if (j.is_object() && j.contains("autosave_of") && j["autosave_of"].is_string())
            original = QString::fromStdString(j["autosave_of"].get<std::string>());
    }
    QString error;
    auto project = ProjectFile::load(path, &error);
    if (!project) {
        showError(tr("The autosaved work could not be read: %1").arg(error));
        return;
    }
    // Restored work is unsaved work: push it as one edit over an empty document.
    m_doc->reset(DocumentState{});
    m_doc->replaceStack(project->document.stack, tr("Recover autosaved work"));
    if (project->document.dataChange) m_doc->setDataChange(project->document.dataChange, tr("Recover data change"));
    m_projectPath = original;
    if (!project->dataPath.isEmpty() && QFileInfo::exists(project->dataPath)) {
        m_pendingView = project->view;
        m_loader->load(project->dataPath);
    }
    updateTitle();
    showInfo(tr("Recovered the autosaved work. Save it to keep it."));
}

// ---------------------------------------------------------------- tracing and views

void MainWindow::onDocumentChanged() {
    updateTitle();
    m_dataPanel->setDocumentState(m_doc->state());
    retrace();
    scheduleOutputs();
}

void MainWindow::retrace() {
    auto input = TraceRunner::inputFor(m_doc->state(), m_dataset ? &*m_dataset : nullptr);
    if (!input) {
        m_runner->clear();
        m_editor->setTrace(nullptr);
        if (m_loader->busy()) return;
        m_flow->setEmpty(m_doc->layerCount() > 0
                             ? tr("Open a data file (Ctrl+Shift+O), or declare the stack's input shape in the "
                                  "Layer stack panel, to trace it.")
                             : QString());
        return;
    }
    m_runner->request(m_doc->stack(), *input);
}

void MainWindow::onTraceReady() {
    const auto& trace = m_runner->trace();
    if (!trace) return;
    if (m_selectedStep >= int(trace->steps.size())) m_selectedStep = 0;
    m_flow->setTrace(*trace, m_runner->tracedStack(), m_doc->lastAppliedFix());
    m_flow->setSelectedStep(m_selectedStep);
    m_editor->setTrace(&*trace);
    if (trace->ok()) statusBar()->showMessage(tr("All shapes fit."), 4000);
    else if (const auto* e = trace->error())
        statusBar()->showMessage(QString::fromStdString(std::string(convscope::title(e->kind))) + ": " +
                                     QString::fromStdString(e->expected) + " / " + QString::fromStdString(e->actual),
                                 8000);
    scheduleOutputs();
}

void MainWindow::selectStep(int step) {
    m_selectedStep = std::max(0, step);
    m_flow->setSelectedStep(m_selectedStep);
    const auto& t = m_runner->trace();
    if (t && m_selectedStep < int(t->steps.size()) && t->steps[size_t(m_selectedStep)].index >= 0)
        m_editor->selectRow(int(t->steps[size_t(m_selectedStep)].index));
    m_sequence->highlightSteps(-1, -1);
    scheduleOutputs();
}

ExplainDialog* MainWindow::explainDialog() {
    if (!m_explain) {
        m_explain = new ExplainDialog(m_doc, [this] { return TraceRunner::inputFor(m_doc->state(), m_dataset ? &*m_dataset : nullptr); }, this);
        connect(m_explain, &ExplainDialog::stepHighlightRequested, this, &MainWindow::selectStep);
    }
    return m_explain;
}

bool MainWindow::applyFix(int index) {
    const auto& t = m_runner->trace();
    if (!t || t->ok() || m_runner->busy() || !(m_runner->tracedStack() == m_doc->stack())) {
        if (t && !t->ok()) showInfo(tr("The trace is being updated; try again in a moment."));
        return false;
    }
    const auto& fixes = t->error()->fixes;
    if (index < 0 || index >= int(fixes.size())) return false;
    const auto current = TraceRunner::inputFor(m_doc->state(), m_dataset ? &*m_dataset : nullptr);
    if (!m_doc->applyFix(fixes[size_t(index)], current)) {
        showError(m_doc->lastError());
        return false;
    }
    m_message->hide();
    statusBar()->showMessage(tr("Applied: %1 — Ctrl+Z undoes it.").arg(QString::fromStdString(fixes[size_t(index)].description)),
                             8000);
    return true;
}

void MainWindow::scheduleOutputs() { m_outputsTimer->start(); }

void MainWindow::updateOutputs() {
    if (!m_dataset) {
        m_output->setUnavailable(tr("Open a data file to see layer outputs on a real sequence."));
        m_padding->setUnavailable(tr("Open a data file to preview padding and masking on a real sequence."));
        emit outputsUpdated();
        return;
    }
    const auto& t = m_runner->trace();
    const quint64 generation = ++m_outputsGeneration;
    runInBackground(
        this,
        [ds = *m_dataset, state = m_doc->state(), trace = t ? *t : convscope::Trace{}, seq = int64_t(m_sequenceIndex),
         step = m_selectedStep, settings = m_padding->settings()]() {
            OutputsBundle b;
            try {
                b.sequence = ForwardPassAdapter::sequenceAsRead(ds, seq, state, &settings);
                b.output = ForwardPassAdapter::layerOutput(ds, seq, state, trace, step, &b.why);
                b.padding = ForwardPassAdapter::paddingPreview(ds, seq, state, trace, step, settings);
            } catch (const std::exception& e) {
                b.why = QString::fromUtf8(e.what());
            }
            return b;
        },
        [this, generation](const OutputsBundle& b) {
            if (generation != m_outputsGeneration) return;
            if (b.sequence.empty()) m_sequence->clear(b.why.isEmpty() ? tr("Empty sequence.") : b.why);
            else m_sequence->setSequence(b.sequence);
            const QVariant channels = m_sequence->property("pendingChannels");
            if (channels.isValid()) {
                if (!channels.value<QList<int>>().isEmpty())
                    m_sequence->channelPicker()->setSelection(channels.value<QList<int>>());
                m_sequence->setProperty("pendingChannels", QVariant());
            }
            const QVariant pending = m_sequence->property("pendingHidden");
            if (pending.isValid()) {
                for (int c : pending.value<QList<int>>()) m_sequence->setChannelVisible(c, false);
                m_sequence->setProperty("pendingHidden", QVariant());
            }
            if (b.output) m_output->setOutput(*b.output);
            else m_output->setUnavailable(b.why);
            if (b.padding.unpadded.empty() && b.padding.contamination.empty())
                m_padding->setUnavailable(b.padding.unavailableReason);
            else m_padding->setResult(b.padding);
            emit outputsUpdated();
        });
}

ExportDialog* MainWindow::createExportDialog() {
    auto* dialog = new ExportDialog(m_doc->stack(), namedPlots(), this);
    // The exports fill open sizes from the data the trace uses (issue 9: 2-channel data, not an
    // assumed 1): the input the window traces the current stack on, also while that trace still
    // runs (right after a fix), read against the stack by the engine's exporter as the CLI's is.
    if (m_dataset && m_dataset->size() > 0 && !m_dataPath.isEmpty())
        if (const auto input = TraceRunner::inputFor(m_doc->state(), &*m_dataset))
            dialog->setTracedInput(input->shape, QFileInfo(m_dataPath).fileName());
    return dialog;
}

QList<QPair<QString, QCustomPlot*>> MainWindow::namedPlots() const {
    QList<QPair<QString, QCustomPlot*>> out;
    out << qMakePair(tr("Sequence"), m_sequence->plot());
    out << qMakePair(tr("Output heatmap"), m_output->heatmapPlot());
    out << qMakePair(tr("Output lines"), m_output->linePlot());
    out << qMakePair(tr("Padding: unpadded"), m_padding->unpaddedPlot());
    out << qMakePair(tr("Padding: padded"), m_padding->paddedPlot());
    out << qMakePair(tr("Padding: padded + masked"), m_padding->maskedPlot());
    out << qMakePair(tr("Padding: difference"), m_padding->differencePlot());
    out << qMakePair(tr("Padding: contamination"), m_padding->contaminationPlot());
    return out;
}

// ---------------------------------------------------------------- window events

void MainWindow::closeEvent(QCloseEvent* e) {
    if (!maybeSave()) {
        e->ignore();
        return;
    }
    writeSettings();
    QFile::remove(AppPaths::autosavePath());
    e->accept();
}

void MainWindow::dragEnterEvent(QDragEnterEvent* e) {
    if (e->mimeData()->hasUrls())
        for (const QUrl& u : e->mimeData()->urls())
            if (u.isLocalFile()) {
                e->acceptProposedAction();
                return;
            }
}

void MainWindow::dropEvent(QDropEvent* e) {
    for (const QUrl& u : e->mimeData()->urls()) {
        if (!u.isLocalFile()) continue;
        if (!ExplainDialog::isTracebackFile(u.toLocalFile())) {
            openPath(u.toLocalFile());
            continue;
        }
        explainDialog()->show();
        m_explain->loadFile(u.toLocalFile());  // shows why, should the file be unreadable
    }
    e->acceptProposedAction();
}

// ---------------------------------------------------------------- help

void MainWindow::showShortcuts() {
    QString html = "<table cellspacing=4>";
    for (QAction* a : findChildren<QAction*>()) {
        if (a->shortcut().isEmpty() || a->text().isEmpty()) continue;
        QStringList keys;
        for (const auto& k : a->shortcuts()) keys << k.toString(QKeySequence::NativeText);
        html += QStringLiteral("<tr><td><b>%1</b></td><td>%2</td></tr>")
                    .arg(keys.join(", ").toHtmlEscaped(), QString(a->text()).remove('&').toHtmlEscaped());
    }
    html += "</table><p>" + tr("Sequence plot: wheel zooms the steps, drag pans, hover reads values.") + "</p>";
    QMessageBox box(this);
    box.setWindowTitle(tr("Keyboard shortcuts"));
    box.setText(html);
    box.exec();
}

void MainWindow::showAbout() {
    const QString core = QString::fromStdString(convscope::kernels::blas_core_name());
    QMessageBox::about(
        this, tr("About ConvScope"),
        tr("<h3>ConvScope %1</h3>"
           "<p>A visual debugger for 1-D convolution stacks: see shapes flow, find the failing axis, apply a "
           "checked fix.</p>"
           "<p>Qt %2 (built with %3)<br>QCustomPlot %4<br>OpenBLAS core: %5</p>")
            .arg(QStringLiteral(CONVSCOPE_VERSION), QString::fromLatin1(qVersion()), QStringLiteral(QT_VERSION_STR),
                 QStringLiteral(QCUSTOMPLOT_VERSION_STR), core));
}
