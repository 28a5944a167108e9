"""Writes src/screening/names/data/wade_giles.tsv: every Mandarin syllable in Hanyu Pinyin with
its Wade-Giles spelling.

The pinyin syllables are the standard inventory (the syllables of the pinyin table, without
tones; ü written `v` is left out: names in Latin letters write lü, nü as lu, nu, lyu, and those
forms are already among the syllables). Each Wade-Giles spelling is derived by the conversion
rules of the published Wade-Giles / pinyin charts (Library of Congress, "Pinyin conversion
project" table; the Wade-Giles tables in Wade's and Giles's dictionaries):

- initials: b p, p p', d t, t t', g k, k k', z ts (tz before the syllabic i), c ts' (tz'),
  s s (ss before the syllabic i), zh ch, ch ch', j ch, q ch', x hs, r j, sh sh;
- the syllabic i after zh, ch, sh, r is ih (zhi chih, shi shih, ri jih); after z, c, s it is u
  (zi tzu, ci tz'u, si ssu);
- finals: ong ung, iong iung, ian ien, ie ieh, üe (ue after j q x y) üeh, er erh;
  e after g, k, h is o (ge ko, he ho), and the syllable e is o; uo after d t n l z c s zh ch r is
  o (duo to, zhuo cho, ruo jo), kept after g k h sh (guo kuo, shuo shuo); ui after g k is uei
  (gui kuei); u, un, uan after j q x y are ü, ün, üan (ju chü, xun hsün, yuan yüan);
- whole syllables: yi i, you yu, yu yü, yue yüeh, yuan yüan, yun yün, yong yung, ye yeh,
  yan yen.

Each output row is a fact of the two systems: `pinyin<TAB>wade-giles` (the Wade-Giles with its
aspiration apostrophe and ü as written). `src/screening/names/romanise.rs` reads it at build time
(`include_str!`); the test `wade_giles_regenerates` checks that this script gives the committed
file.

Usage: python3 scripts/gen_wade_giles.py > src/screening/names/data/wade_giles.tsv
"""

PINYIN = """
a ai an ang ao e ei en eng er o ou
yi ya yan yang yao ye yin ying yo yong you yu yuan yue yun
wu wa wai wan wang wei wen weng wo
ba bai ban bang bao bei ben beng bi bian biao bie bin bing bo bu
pa pai pan pang pao pei pen peng pi pian piao pie pin ping po pou pu
ma mai man mang mao me mei men meng mi mian miao mie min ming miu mo mou mu
fa fan fang fei fen feng fo fou fu
da dai dan dang dao de dei den deng di dian diao die ding diu dong dou du duan dui dun duo
ta tai tan tang tao te teng ti tian tiao tie ting tong tou tu tuan tui tun tuo
na nai nan nang nao ne nei nen neng ni nian niang niao nie nin ning niu nong nou nu nuan nuo
la lai lan lang lao le lei leng li lia lian liang liao lie lin ling liu lo long lou lu luan lun luo
ga gai gan gang gao ge gei gen geng gong gou gu gua guai guan guang gui gun guo
ka kai kan kang kao ke ken keng kong kou ku kua kuai kuan kuang kui kun kuo
ha hai han hang hao he hei hen heng hong hou hu hua huai huan huang hui hun huo
ji jia jian jiang jiao jie jin jing jiong jiu ju juan jue jun
qi qia qian qiang qiao qie qin qing qiong qiu qu quan que qun
xi xia xian xiang xiao xie xin xing xiong xiu xu xuan xue xun
zha zhai zhan zhang zhao zhe zhei zhen zheng zhi zhong zhou zhu zhua zhuai zhuan zhuang zhui zhun zhuo
cha chai chan chang chao che chen cheng chi chong chou chu chua chuai chuan chuang chui chun chuo
sha shai shan shang shao she shei shen sheng shi shou shu shua shuai shuan shuang shui shun shuo
ran rang rao re ren reng ri rong rou ru ruan rui run ruo
za zai zan zang zao ze zei zen zeng zi zong zou zu zuan zui zun zuo
ca cai can cang cao ce cen ceng ci cong cou cu cuan cui cun cuo
sa sai san sang sao se sen seng si song sou su suan sui sun suo
""".split()

INITIALS = ["zh", "ch", "sh", "b", "p", "m", "f", "d", "t", "n", "l", "g", "k", "h", "j", "q",
            "x", "r", "z", "c", "s", "y", "w", ""]

WG_INITIAL = {"b": "p", "p": "p'", "d": "t", "t": "t'", "g": "k", "k": "k'", "z": "ts",
              "c": "ts'", "zh": "ch", "ch": "ch'", "j": "ch", "q": "ch'", "x": "hs", "r": "j"}

WHOLE = {"yi": "i", "you": "yu", "yu": "yü", "yue": "yüeh", "yuan": "yüan", "yun": "yün",
         "yong": "yung", "ye": "yeh", "yan": "yen", "e": "o", "er": "erh"}


def wade_giles(syllable):
    if syllable in WHOLE:
        return WHOLE[syllable]
    initial = next(i for i in INITIALS if syllable.startswith(i))
    final = syllable[len(initial):]
    # The syllabic i
    if final == "i" and initial in ("zh", "ch", "sh", "r"):
        final = "ih"
    elif final == "i" and initial in ("z", "c", "s"):
        return {"z": "tzu", "c": "tz'u", "s": "ssu"}[initial]
    elif initial in ("j", "q", "x") and final.startswith("u"):
        final = "ü" + final[1:]
    if final.endswith("iong"):
        final = final[:-4] + "iung"
    elif final.endswith("ong"):
        final = final[:-3] + "ung"
    if final.endswith("ian"):
        final = final[:-3] + "ien"
    if final in ("ie", "üe"):
        final += "h"
    if final == "e" and initial in ("g", "k", "h"):
        final = "o"
    if final == "uo" and initial in ("d", "t", "n", "l", "z", "c", "s", "zh", "ch", "r"):
        final = "o"
    if final == "ui" and initial in ("g", "k"):
        final = "uei"
    return WG_INITIAL.get(initial, initial) + final


def main():
    print("# Mandarin syllables: Hanyu Pinyin, then Wade-Giles (with its aspiration apostrophe")
    print("# and ü), generated by scripts/gen_wade_giles.py from the pinyin syllable inventory")
    print("# and the conversion rules of the published Wade-Giles / pinyin charts.")
    for syllable in PINYIN:
        print(f"{syllable}\t{wade_giles(syllable)}")


if __name__ == "__main__":
    main()
