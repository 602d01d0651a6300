/*
 * sanshe-edu-lab: a notebook starts its one kernel without asking, even after a failed start.
 *
 * On a busy class server the first request that starts a notebook's kernel can fail (a
 * timeout). JupyterLab then shows "Error Starting Kernel" and its kernel chooser; a student who
 * dismisses it has no kernel, and every cell asks again (issue 24). Here, when the notebook
 * names a kernel that exists (python3, in every notebook of the course), JupyterLab starts that
 * kernel again, a few times with a pause, before it shows anything; only when every try fails
 * does the student see the error and the chooser, as before.
 *
 * sanshe-edu-lab:labels: two strings a student meets that JupyterLab 4.6 leaves English in a
 * Chinese lab — the file menu's "Open With" (its translation exists, for the main menu only)
 * and the keyboard skip link "Skip to main panel" (no translation at all).
 *
 * sanshe-edu-lab:assignment-list-zh: nbgrader's Assignment List panel (class server) has no
 * translations; in a Chinese lab its headings, buttons and messages are shown in Chinese.
 */
import { SessionContext, SessionContextDialogs } from '@jupyterlab/apputils';
import { ITranslator } from '@jupyterlab/translation';

const PAUSES_MS = [500, 2000, 5000];

function sleep(ms) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/** The kernel the notebook asks for, when the server has it. */
function preferredKernel(sessionContext) {
  const pref = sessionContext.kernelPreference || {};
  const specs = sessionContext.specsManager && sessionContext.specsManager.specs;
  const name = pref.name || (specs && specs.default);
  if (!name || !specs || !specs.kernelspecs || !specs.kernelspecs[name]) {
    return null;
  }
  return name;
}

async function startAgain(sessionContext) {
  const name = preferredKernel(sessionContext);
  if (!name) {
    return false;
  }
  for (const [i, pause] of PAUSES_MS.entries()) {
    await sleep(pause);
    if (sessionContext.isDisposed) {
      return true;
    }
    if (sessionContext.session && sessionContext.session.kernel) {
      return true; // started meanwhile (another try, or the server caught up)
    }
    try {
      // Quiet but for the last try: if every try fails, its error is shown, then the chooser.
      sessionContext.__sansheQuiet = i < PAUSES_MS.length - 1;
      await sessionContext.changeKernel({ name });
      return true;
    } catch (err) {
      console.warn('sanshe-edu: kernel start failed, trying again', err);
    } finally {
      sessionContext.__sansheQuiet = false;
    }
  }
  return false;
}

const plugin = {
  id: 'sanshe-edu-lab:kernel-start',
  description: 'A notebook starts its own kernel again instead of asking which kernel to use.',
  autoStart: true,
  activate: () => {
    const proto = SessionContext.prototype;
    const showError = proto._displayKernelError;
    if (typeof showError === 'function') {
      // While we try again, a failed try says nothing (the last failure is still shown).
      proto._displayKernelError = function (message, traceback) {
        if (this.__sansheQuiet) {
          return Promise.resolve();
        }
        return showError.call(this, message, traceback);
      };
    }
    const handleError = proto._handleSessionError;
    if (typeof handleError === 'function') {
      // The first failure of a notebook with a preferred kernel: no dialog yet, the kernel is
      // started again by selectKernel below (JupyterLab asks it next).
      proto._handleSessionError = function (err) {
        if (!this.__sansheRetried && preferredKernel(this)) {
          this.__sansheQuiet = true;
          return Promise.resolve(handleError.call(this, err)).finally(() => {
            this.__sansheQuiet = false;
          });
        }
        return handleError.call(this, err);
      };
    }
    const ask = SessionContextDialogs.prototype.selectKernel;
    SessionContextDialogs.prototype.selectKernel = async function (sessionContext) {
      if (!sessionContext.isDisposed && !sessionContext.__sansheRetried) {
        sessionContext.__sansheRetried = true;
        try {
          if (await startAgain(sessionContext)) {
            return;
          }
        } finally {
          sessionContext.__sansheRetried = false;
        }
      }
      return ask.call(this, sessionContext);
    };
  }
};

const SKIP_LINK = { zh: '跳到主区域' };

/** The lab's language, two letters ('zh', 'en'). */
function labLanguage(translator) {
  return ((translator && translator.languageCode) || 'en').slice(0, 2);
}

const labels = {
  id: 'sanshe-edu-lab:labels',
  description: 'JupyterLab strings the language pack leaves English, in the lab language.',
  autoStart: true,
  optional: [ITranslator],
  activate: (app, translator) => {
    if (!translator) {
      return;
    }
    const trans = translator.load('jupyterlab');
    const lang = labLanguage(translator);
    const relabel = () => {
      // The context menu's items (their submenus are the ones shown when it opens).
      const cm = app.contextMenu;
      const items = [...((cm && cm._items) || []), ...((cm && cm.menu && cm.menu.items) || [])];
      for (const item of items) {
        const sub = item.submenu;
        if (sub && (sub.id === 'jp-contextmenu-open-with' || sub.title.label === 'Open With')) {
          const label = trans._p('menu', 'Open With');
          if (sub.title.label !== label) {
            sub.title.label = label;
          }
        }
      }
      const skip = document.querySelector('#jp-skiplink .skip-link');
      if (skip && SKIP_LINK[lang] && skip.text !== SKIP_LINK[lang]) {
        skip.text = SKIP_LINK[lang];
      }
    };
    void app.restored.then(relabel);
    // The file menu is built from the settings, possibly after start: look again before it opens.
    document.addEventListener('contextmenu', relabel, true);
  }
};

// nbgrader 0.9's Assignment List, as its lab extension writes it (the text of an element).
const ASSIGNMENT_LIST_ZH = {
  'Released, downloaded, and submitted assignments for course:': '本课程已发布、已下载和已提交的作业：',
  'Released assignments': '已发布的作业（点“获取”下载）',
  'Downloaded assignments': '已下载的作业（在这里提交）',
  'Submitted assignments': '已提交的作业',
  'There are no assignments to fetch.': '没有可以获取的作业。',
  'There are no downloaded assignments.': '还没有下载作业。',
  'There are no submitted assignments.': '还没有提交过作业。',
  'Loading, please wait...': '正在加载，请稍候……',
  'Fetch': '获取',
  'Fetching...': '正在获取……',
  'Submit': '提交',
  'Fetch Feedback': '取回反馈',
  'Fetching Feedback...': '正在取回反馈……',
  'Validate': '检查',
  'Validating...': '正在检查……',
  'Error fetching assignment.': '没能获取作业，请稍后再试或告诉老师。',
  'Error submitting assignment.': '没能提交作业，请稍后再试或告诉老师。',
  'Error fetching feedback.': '没能取回反馈，请稍后再试或告诉老师。',
  'Assignment not submitted:': '作业没有提交：',
  'Refresh assignments list': '刷新作业列表',
  'No courses found.': '还没有课程（老师发放作业后就有）',
  'Error fetching courses!': '没能读到课程列表，请稍后再试或告诉老师。'
};

function translateTree(root, table) {
  const walker = document.createTreeWalker(root, NodeFilter.SHOW_TEXT);
  const nodes = [];
  while (walker.nextNode()) {
    nodes.push(walker.currentNode);
  }
  for (const node of nodes) {
    const key = node.nodeValue.trim();
    if (key && Object.prototype.hasOwnProperty.call(table, key)) {
      node.nodeValue = node.nodeValue.replace(key, table[key]);
    }
  }
  for (const el of root.querySelectorAll('[title]')) {
    const key = el.getAttribute('title').trim();
    if (Object.prototype.hasOwnProperty.call(table, key)) {
      el.setAttribute('title', table[key]);
    }
  }
}

const assignmentList = {
  id: 'sanshe-edu-lab:assignment-list-zh',
  description: "nbgrader's Assignment List in Chinese, in a Chinese lab.",
  autoStart: true,
  optional: [ITranslator],
  activate: (app, translator) => {
    if (labLanguage(translator) !== 'zh') {
      return;
    }
    const apply = widget => {
      translateTree(widget.node, ASSIGNMENT_LIST_ZH);
      if (widget.title.label === 'Assignments') {
        widget.title.label = '作业列表';
      }
    };
    // Watch the list itself once it is in the main area (it redraws as assignments load): our
    // own changes are mutations too, and call apply once more, which finds nothing to change.
    const watched = new WeakSet();
    const watch = () => {
      for (const widget of app.shell.widgets('main')) {
        if (widget.id !== 'nbgrader-assignment-list' || watched.has(widget)) {
          continue;
        }
        watched.add(widget);
        const observer = new MutationObserver(() => apply(widget));
        observer.observe(widget.node, { childList: true, subtree: true, characterData: true });
        widget.disposed.connect(() => observer.disconnect());
        apply(widget);
      }
    };
    void app.restored.then(() => {
      watch();
      app.shell.layoutModified.connect(watch);
    });
  }
};

export default [plugin, labels, assignmentList];
