"""Long texts of the demo applications, assembled from phrase banks around a patent or a
project topic: plausible technical prose of realistic length, never filler."""

from __future__ import annotations

import datetime as dt
import random

from zhutui.demo.texts import Industry, Topic
from zhutui.plans import cn_date

CN_NUM = "零一二三四五六七八九十"
_ORDINAL = ("一是", "二是", "三是", "四是", "五是")
_HEAD = ("（一）", "（二）", "（三）", "（四）", "（五）", "（六）")


def cn_month(d: dt.date) -> str:
    return f"{d.year}年{d.month}月"


def _fit(parts: list[str], low: int, high: int) -> str:
    """Join sentences; drop optional trailing ones until the text is at most ``high`` chars."""
    text = "".join(parts)
    while len(text) > high and len(parts) > 1:
        parts = parts[:-1]
        text = "".join(parts)
    if len(text) < low:
        raise ValueError(f"text too short ({len(text)} < {low})")
    return text


# --------------------------------------------------------------------------- patents


def patent_summary(rng: random.Random, ind: Industry, title: str, since: dt.date, post: str) -> str:
    """应用情况及效益 (≤ 500 chars), about 220–460 chars."""
    effects = rng.sample(ind.effects, 2)
    workshop = rng.choice(ind.workshops)
    parts = [
        f"该专利技术于{cn_month(since)}起在我公司{workshop}正式投入生产应用，目前已在"
        f"{rng.randint(2, 6)}个班组、{rng.randint(3, 24)}台（套）{ind.equipment}及相关工序上推广使用。",
        f"应用前，相关工序主要依靠人工经验操作，存在效率偏低、质量波动较大、职工劳动强度高等问题；"
        f"应用“{title}”后，{effects[0]}，{effects[1]}。",
        f"经公司技术质量部门跟踪统计，截至目前已累计应用于{rng.randint(3, 40)}个批次"
        f"产品的生产，年创经济效益约{rng.randint(12, 180)}万元。",
        f"该专利的应用还改善了现场作业环境，相关操作要点已纳入公司作业指导书，并作为{post}岗位技能"
        "培训的内容在班组推广。",
        rng.choice(
            (
                "下一步，公司计划在其他生产线推广应用该技术，进一步扩大应用效益。",
                "该成果在集团内部技术交流中获得好评，兄弟单位已来我公司学习借鉴。",
                "应用以来设备运行稳定，未发生因该技术引起的质量或安全问题。",
            )
        ),
    ]
    return _fit(parts, 150, 480)


def patent_abstract(rng: random.Random, stem: str, ending: str) -> str:
    """专利简介 (≤ 300 chars)."""
    if ending == "方法":
        body = (
            "包括以下步骤：采集被测对象的运行或加工数据；对数据进行滤波等预处理并提取特征量；"
            "根据预先建立的模型计算偏差；依据计算结果自动调整相关参数或发出提示。"
        )
    elif ending == "系统":
        body = (
            "包括数据采集模块、通信模块、分析处理模块和显示报警模块，数据采集模块将现场数据"
            "实时传送至分析处理模块，分析处理模块按设定规则判断状态并输出结果。"
        )
    else:
        body = (
            "包括底座、定位组件、夹紧组件和调节机构，定位组件固定在底座上，夹紧组件与调节机构"
            "联动，可根据工件尺寸快速调整位置，操作简便、定位可靠。"
        )
    tail = rng.choice(
        (
            "结构简单、成本低，便于在生产一线推广使用。",
            "有效提高了生产效率和产品质量的稳定性，降低了操作人员的劳动强度。",
            "解决了现有技术依赖人工经验、效率低、一致性差的问题。",
        )
    )
    return f"本发明公开了一种{stem}{ending}，{body}本发明{tail}"


# --------------------------------------------------------------------------- projects


def project_texts(
    rng: random.Random,
    *,
    topic: Topic,
    ind: Industry,
    enterprise: str,
    studio: str,
    leader: str,
    level_label: str,
    recognized_year: int,
    approved: dt.date,
    startup_funds: int,
    team_size: int,
    field: str,
) -> dict[str, str]:
    """The six long texts of a project (each 200–800 chars)."""
    workshop = rng.choice(ind.workshops)
    loss = rng.randint(30, 260)
    route = "现场调研—方案设计—试验验证—推广应用"
    background = _fit(
        [
            f"{enterprise}{workshop}承担着{topic.product}的生产和保障任务，产品质量和交付周期直接关系到"
            "企业的市场竞争力和客户满意度。",
            f"近年来，随着订单数量增加和客户要求不断提高，生产一线遇到的突出问题是：{topic.problem}。",
            f"这一问题已连续多年被列为{workshop}的重点攻关课题，仅{approved.year - 1}年因此造成的返工、"
            f"报废和交付延误损失就超过{loss}万元。",
            "现有的解决办法主要依靠老师傅的个人经验，缺少系统的数据分析和有效的工艺手段，难以从根本上"
            "解决问题，经验也难以在班组中传承。",
            f"为此，{studio}结合企业转型升级需要和{field}领域的技术发展方向，提出本项目，经企业技术委员会"
            f"论证，于{cn_date(approved)}正式批准立项。",
            "项目的实施对于提升企业核心竞争力、推动生产一线技术进步、培养知识型技能型创新型职工队伍具有重要意义。",
        ],
        200,
        800,
    )
    steps = "".join(
        f"{_HEAD[i]}{s}。"
        + rng.choice(
            (
                "通过现场测试和数据统计，摸清影响因素和关键参数。",
                "由工作室骨干分组开展试验，逐项验证方案的可行性。",
                "充分吸收一线职工的操作经验，边试验边改进。",
                "邀请企业技术中心和高校专家进行指导，确保技术路线科学可行。",
            )
        )
        for i, s in enumerate(topic.steps)
    )
    content = _fit(
        [
            f"本项目针对{topic.product}生产中存在的问题，按照“{route}”的技术路线开展{topic.kind}，主要内容如下：",
            steps,
            f"项目由领军人{leader}牵头，工作室{team_size}名骨干成员按方案设计、试验验证、现场应用和"
            "资料整理分工协作，每月召开一次项目推进会，及时解决实施中遇到的问题。",
            "项目实施过程中注重安全生产和质量管理，所有工艺变更均按企业规定履行审批和验证程序。",
        ],
        200,
        800,
    )
    innovation = _fit(
        [
            f"1．将{topic.steps[0]}与一线职工的操作经验相结合，改变了以往单纯依靠个人经验解决问题的"
            "做法，使工艺改进有数据可依、有标准可循。",
            f"2．围绕“{topic.steps[1]}”开展系统研究，项目成果可填补企业在{topic.specialty}方面的技术空白，"
            "部分指标达到国内同行业先进水平。",
            f"3．{topic.steps[2]}，自主研制的装置和软件成本仅为同类外购产品的三分之一左右，便于在企业内部推广。",
            f"4．通过{topic.steps[-1]}，把项目成果固化为标准化的作业方法，对同类产品和兄弟单位具有借鉴作用。",
        ],
        200,
        800,
    )
    patents, papers = rng.randint(1, 3), rng.randint(1, 3)
    benefit = rng.randint(50, 400)
    goals = _fit(
        [
            "通过项目实施，预期达到以下目标：",
            f"{_ORDINAL[0]}技术指标方面，{topic.result}。",
            f"{_ORDINAL[1]}成果方面，申请专利{CN_NUM[patents]}项，形成企业工艺标准或作业指导书"
            f"{CN_NUM[papers + 1]}份，在行业期刊发表技术论文{CN_NUM[papers]}篇。",
            f"{_ORDINAL[2]}效益方面，经测算，项目成果全面应用后每年可为企业节约成本、增加效益约"
            f"{benefit}万元，并明显降低职工劳动强度，改善作业环境。",
            f"{_ORDINAL[3]}人才培养方面，带动一批青年职工提升技能水平，为企业{field}领域储备骨干力量。",
            f"{_ORDINAL[4]}推广方面，项目成果在企业内部同类岗位和生产线推广应用，并通过技术交流活动"
            "与兄弟单位共享，扩大项目的辐射带动作用。",
        ],
        200,
        800,
    )
    senior, skilled = rng.randint(1, 3), rng.randint(2, 6)
    talent_plan = _fit(
        [
            "工作室坚持“干中学、学中干”，把项目作为培养技能人才的平台。",
            f"一是以项目为载体开展师带徒，由领军人{leader}和高级技师担任导师，与{skilled + 2}名青年职工"
            "签订师徒协议，明确培养目标和考核办法。",
            f"二是结合项目攻关内容编写培训教材和案例，每季度组织一次专题培训和现场实操演练，计划培养"
            f"高级技师{CN_NUM[senior]}名、技师{CN_NUM[skilled]}名。",
            "三是组织成员参加各级职业技能竞赛和技术交流活动，到兄弟单位和高校学习先进经验，开阔眼界。",
            "四是将项目中形成的操作方法和绝招绝技整理成册，在班组中推广，实现经验共享和技能传承，"
            "推动知识型、技能型、创新型技术工人队伍建设。",
        ],
        200,
        800,
    )
    done, pats = rng.randint(12, 60), rng.randint(3, 20)
    foundation = _fit(
        [
            f"{studio}成立于{recognized_year - rng.randint(0, 2)}年，{recognized_year}年被认定为{level_label}。",
            f"工作室以领军人{leader}为核心，现有成员{team_size + rng.randint(4, 12)}名，其中高级技师、"
            "高级工程师等高技能人才占一半以上，专业涵盖工艺、设备、电气、质量等方面。",
            f"近三年工作室累计完成技术革新和攻关项目{done}项，获得国家专利{pats}项，多项成果获得"
            "北京市职工技术创新成果奖。",
            f"项目前期已完成现场调研和初步试验，取得了阶段性数据；企业已拨付启动资金"
            f"{startup_funds // 10000}万元，试验场地、设备和检测仪器均已落实，具备按期完成项目的条件。",
        ],
        200,
        800,
    )
    return {
        "background": background,
        "content": content,
        "innovation": innovation,
        "goals": goals,
        "talent_plan": talent_plan,
        "foundation": foundation,
    }


def milestone_tasks(topic: Topic, count: int) -> list[str]:
    """``count`` stage descriptions (each ≤ 200 chars): survey, the topic's steps, acceptance."""
    first = "调研与方案设计：开展现场调研，收集分析生产数据，确定技术方案和试验计划。"
    last = "总结验收：整理技术资料，编制工艺文件和作业指导书，完成项目总结和结题验收。"
    middle = [f"{s}：组织工作室成员分组实施，记录试验数据并阶段性评估效果。" for s in topic.steps]
    if count <= 2:
        return [first, last][:count]
    inner = middle[: count - 2]
    while len(inner) < count - 2:
        inner.append("推广应用：在生产线全面应用项目成果，跟踪统计应用效果并持续改进。")
    return [first, *inner, last]


# Budget lines with their usual weight in a shop-floor innovation project.
BUDGET_BOOST_ITEMS = {
    "试验材料费": 5,
    "测试化验加工费": 4,
    "专用工装及检具制作费": 5,
    "技术培训及交流费": 2,
    "专家咨询费": 1,
    "知识产权事务费": 1,
}
BUDGET_ENTERPRISE_ITEMS = {
    "设备购置费": 8,
    "传感器及仪器仪表购置费": 4,
    "软件开发费": 4,
    "材料费": 6,
    "燃料动力费": 1,
    "差旅费": 1,
    "资料印刷及成果推广费": 1,
}
TEAM_ROLES = (
    "技术方案设计",
    "工艺试验与参数优化",
    "工装设计与制作",
    "数据采集与分析",
    "电气控制系统改造",
    "现场应用与效果跟踪",
    "质量检测与验证",
    "技术资料整理与培训",
)
TEAM_TITLES = ("高级技师", "技师", "高级工", "高级工程师", "工程师", "助理工程师")
LEADER_POSTS = ("高级技师", "首席技师", "车间副主任、高级技师", "班组长、高级技师", "技术主管、高级工程师", "特级技师")
HONORS = (
    "北京市劳动模范",
    "首都劳动奖章获得者",
    "全国技术能手",
    "北京市优秀技术能手",
    "北京大工匠",
    "全国五一劳动奖章获得者",
    "北京市先进工作者",
)
