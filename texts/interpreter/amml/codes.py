"""The parameters of the calculators that run external programs (vasp, turbomole, elk).

Their specifications are long, so they are written here as text, one parameter a line
(``name: kind [units]``, ``!`` for mandatory), and read on first use. The VASP names are
the INCAR keywords ASE knows plus ASE's own options, in the order of the ``()`` printout;
their kinds come from ASE's keyword lists, their units from the VASP documentation.
"""

from __future__ import annotations

import functools
import re

from texts.interpreter.amml.specs import MANDATORY, Method, Param

VASP_NAMES = """
lreal directory command txt restart xc setups gamma pp kpts reciprocal charge aexx aggac
aggax aldac amin amix amix_mag bmix bmix_mag deper ebreak efield emax emin enaug encut
encutgw encutfock hfscreen kspacing potim param1 param2 pomass pstress sigma smass weimin
zab_vdw zval clz vdw_radius vdw_scaling vdw_d vdw_cnradius vdw_s6 vdw_s8 vdw_sr vdw_a1
vdw_a2 langevin_gamma_l pmass bparam cparam aldax tebeg teend andersen_prob apaco ch_sigma
cmbj cmbja cmbje encutgwsoft scissor dimer_dist step_size step_max minrot hills_h hfscreenc
hfrcut enini enmax epsilon scsrad hitoler nupdown ediff ediffg symprec ialgo ibrion icharg
idipol images iniwav isif ismear ispin istart isym iwavpr kpar ldauprint ldautype lmaxmix
lorbit maxmix ngx ngxf ngy ngyf ngz ngzf nbands nblk nbmod nelm nelmdl nelmgw nelmin nfree
nkred nkredx nkredy nkredz nomega nomegar npar nsim nsw nwrite vdwgr vdwrn voskown ichain
iopt snl lbfgsmem fnmin icorelevel clnt cln cll ivdw nbandsgw nbandso nbandsv ncore mdalgo
nedos turbo omegapar taupar ntaupar antires magatom jatom ichibare nbas rmds ilbfgsmem
vcaimages ntemper ncshmem lmaxtau kinter ibse nbseeig naturalo nbandsexact nbandsgwlow
nbandslf omegagrid telescope maxmem nelmhf dim nkredlf nkredlfx nkredlfy nkredlfz lmaxmp2
switch findiff engine restartcg thermostat scaling shakemaxiter equi_regime hills_bin
hills_maxstride dvvehistory ipead ngaus exxoep fourorbit model_gw hflmax lmaxfock lmaxfockae
nmaxfockae nblock_fock idiot nrmm mremove inimix mixpre nelmall nblock kblock npaco lmaxpaw
irestart nreboot nmin nlspline ispecial rcrep rcndl rcstrd vdw_idampf i_constrained_m igpar
nppstr nbands_out kpts_out isp_out nomega_out maxiter_ft nmaxalt itmaxlsq ndatalsq
ncore_in_image1 kimages ncores_per_band maxlie ncrpalow ncrpahigh nwlow nwhigh nkopt
nkoffopt nbvalopt nbconopt ch_nedos plevel qnl proutine algo gga metagga prec system
precfock radeq localized_basis addgrid kgamma laechg lasph lasync lcharg lcorr ldau ldiag
ldipol lelf lepsilon lhfcalc loptics lpard lplane lscalapack lscalu lsepb lsepk lthomas
luse_vdw lvhar lvtot lwave lclimb ltangentold ldneb lnebcell lglobal llineopt lbeefens
lbeefbas lcalcpol lcalceps lvdw lvdw_ewald lspectral lrpa lwannier90 lsorbit lsol lautoscale
interactive lauger lauger_eeh lauger_ehh lauger_collect lauger_dhdk lauger_jit orbitalmag
lchimag lwrtcur lnmr_sym_red lzora lbone lmagbloch lgauge lbfconst nucind lnicsall llraug
lbbm lnoncollinear bfgsdfp linemin ldneborg dseed linteract lmpmd ltwodim fmagflag ltemper
qmflag lmixtau ljdftx lrhob lrhoion lnabla linterfast lvel lrpaforce lhartree ladder lfxc
lrsrpa lsingles lfermigw ltcte ltete ltriplet lfxceps lfxheg l2order lmp2lt lgwlf lusew
selfenergy oddonlygw evenonlygw lspectralgw ch_lspec fletcher_reeves lidm_selective lblueout
hills_variable_w dvvminus lpead skip_edotp skip_scf lchgfit lgausrc lstockholder lsymgrad
lhfone lrscor lrhfcalc lmodelhf shiftred hfkident oddonly evenonly lfockaedft lsubrot
mixfirst lvcader lcompat lmusic ldownsample lscaaware lorbitalreal lmetagga lspiral lzeroz
lmono lrelcore lmimicfc lmatchrw ladaptelin lonlysemicore gga_compat lrelvol lj_only lvdwscs
lcfdm lvdw_sametype lrescaler0 lscsgrad lvdwexpansion lvdw_relvolone lberry lpade_fit lkproj
l_wr_moments l_wr_density lkotani ldyson laddherm lcrpaplot lplotdis ldisentangle lweighted
luseorth_lcaos lfrpa lregularize ldrude ldmatrix lefg lhyperfine lwannier localize
lintpol_wpot lintpol_orb lintpol_kpath lintpol_kpath_orb lread_eigenvalues lintpol_velocity
lintpol_conductivity lwannierinterpol wanproj lorbmom lwannier90_run lwrite_wanproj
lwrite_unk lwrite_mmn_amn lread_amn lrhfatm lvpot lwpot lwswq pflat qifcg qdo_ins qdo_pre
lnbo iband kpuse ldaul random_seed auger_bmin_eeh auger_bmax_eeh auger_bmin_ehh
auger_bmax_ehh balist kpoint_bse nsubsys vdw_refstate vdw_mbd_size nbands_index kpts_index
isp_index nomega_index ntarget_states wanproj_i wanproj_l dipol eint ferwe ferdo magmom ropt
rwigs ldauu ldauj vdw_c6 vdw_c6au vdw_r0 vdw_r0au vdw_alpha langevin_gamma psubsys tsubsys
efield_pead saxis vca qspiral quad_efg ngyromag smearings lattice_constraints lrctype
lvdw_onecell
"""
#: units of the dimensioned VASP parameters ([varies]: ``ediffg`` and ``potim``, checked
#: against the other parameters); the others are dimensionless numbers
VASP_UNITS = {
    **dict.fromkeys(
        [
            "ebreak",
            "emax",
            "emin",
            "enaug",
            "encut",
            "encutgw",
            "encutfock",
            "encutgwsoft",
            "enini",
            "enmax",
            "ediff",
            "sigma",
            "ch_sigma",
            "weimin",
            "hills_h",
            "scissor",
            "ldauu",
            "ldauj",
            "eint",
        ],
        "eV",
    ),
    **dict.fromkeys(["efield", "efield_pead"], "eV / angstrom"),
    **dict.fromkeys(["hfscreen", "kspacing"], "1 / angstrom"),
    **dict.fromkeys(["tebeg", "teend"], "K"),
    "pstress": "kbar",
    **dict.fromkeys(["pomass", "pmass"], "amu"),
    **dict.fromkeys(
        [
            "dimer_dist",
            "step_size",
            "step_max",
            "vdw_radius",
            "vdw_cnradius",
            "scsrad",
            "ropt",
            "rwigs",
            "hfrcut",
        ],
        "angstrom",
    ),
    **dict.fromkeys(["langevin_gamma", "langevin_gamma_l"], "1 / ps"),
}
VASP_CHOICES = {
    "ibrion": (-1, 0, 1, 2, 3, 5, 6, 7, 8, 11, 12, 40, 44),
    "ispin": (1, 2),
    "isif": (0, 1, 2, 3, 4, 5, 6, 7, 8),
    "mdalgo": (0, 1, 2, 3, 4, 5, 11, 13, 21),
    "prec": ("low", "medium", "high", "normal", "single", "accurate"),
}
#: kinds of the names that are ASE options rather than INCAR keywords
_VASP_OPTIONS = {
    "lreal": "str/bool",
    "directory": "str",
    "command": "str",
    "txt": "str",
    "restart": "bool",
    "xc": "str",
    "setups": "str/dict",
    "gamma": "bool",
    "pp": "str",
    "kpts": "array/tuple",
    "reciprocal": "bool",
    "charge": "float",
    "cmbje": "float",
}
_ASE_KINDS = (
    ("float_keys", "float"),
    ("exp_keys", "float"),
    ("string_keys", "str"),
    ("int_keys", "int"),
    ("bool_keys", "bool"),
    ("list_int_keys", "array"),
    ("list_bool_keys", "array"),
    ("list_float_keys", "array"),
    ("dict_keys", "dict"),
)

TURBOMOLE = """
restart: bool
define_str: str
control_input: tuple
control_kdg: tuple
reset_tolerance: float [angstrom]
automatic orbital shift: float [eV]
basis set definition: dict
basis set name: str
closed-shell orbital shift: float [eV]
damping adjustment step: float
default eht atomic orbitals: bool
density convergence: float
density functional: str
energy convergence: float [eV]
esp fit: str
fermi annealing factor: float
fermi final temperature: float [kelvin]
fermi homo-lumo gap criterion: float [eV]
fermi initial temperature: float [kelvin]
fermi stopping criterion: float [eV]
force convergence: float [eV/angstrom]
geometry optimization iterations: int
grid size: str
ground state: bool
initial damping: float
initial guess: str/dict
minimal damping: float
multiplicity: int !
non-automatic orbital shift: bool
numerical hessian: dict
point group: str
ri memory: int [megabyte]
rohf: bool
scf energy convergence: float [eV]
scf iterations: int
task: str
title: str
total charge: int
transition vector: int
uhf: bool
use basis set library: bool
use dft: bool
use fermi smearing: bool
use redundant internals: bool
use resolution of identity: bool
"""
ELK = """
actype: int
autokpt: bool
autodlefe: bool
autolinengy: bool
autoswidth: bool
avecref: array [bohr]
beta0: float
betamax: float
bfdmag: bool
bfieldc: array [dirac_constant * fine_structure_constant / bohr ** 2 / elementary_charge]
bfieldcu: array [dirac_constant * fine_structure_constant / bohr ** 2 / elementary_charge]
bforb: bool
broydpm: array
c_tb09: float
chgexs: float [elementary_charge]
cmagz: bool
deltaem: float [1 / bohr]
deltaph: float [bohr]
deltast: float [hartree]
dft+u: tuple
dlefe: float [hartree]
dncgga: float
dosmsum: bool
dosssum: bool
dtimes: float [atomic_unit_of_time]
epsband: float [hartree]
epschg: float [elementary_charge]
epsengy: float [hartree]
epsforce: float [hartree / bohr]
epslat: float
epsocc: float
epspot: float
epsstress: float [hartree / bohr**3]
emaxelnes: float [hartree]
emaxrf: float [hartree]
fracinr: float
fsmtype: int
ftmtype: int
fxclrc: array
fxctype: int
gmaxrf: float [1 / bohr]
gmaxvr: float [1 / bohr]
hdbse: bool
highq: bool
hmaxvr: float [1 / bohr]
hxbse: bool
hybrid: bool
hybridc: float
intraband: bool
isgkmax: int
kstlist: tuple
latvopt: int
lmaxapw: int
lmaxdos: int
lmaxi: int
lmaxo: int
lmirep: bool
lorbcnd: bool
lorbordc: int
lprojw90: tuple
lradstp: int
maxitoep: int
maxscl: int
mbwgrf: int
mefvs: int
mixsave: bool
mixtype: int
mixsdb: int
molecule: bool
momfix: array [bohr_magneton]
momfixm: float [bohr_magneton]
mommtfix: tuple
mommtfixm: tuple
mrmtav: int
mstar: float
mustar: float
ncbse: int
ndspem: int
nefvit: int
nempty: float
ngridk: array
ngridq: array
nosource: bool
notes: tuple
npmae: int
ntemp: int
num_wann: int
nvbse: int
nwrite: int
nxoapwlo: int
optcomp: tuple
phwrite: tuple
plot1d: tuple
plot2d: tuple
plot3d: tuple
primcell: bool
projw90: bool
pulse: tuple
q0cut: float
radkpt: float [bohr]
ramp: tuple
readadu: bool
reducebf: float
reduceh: bool
reducek: int
reduceq: int
rgkmax: float
rmtall: float [bohr]
rmtdelta: float [bohr]
rmtscf: float
rndavec: float
rotavec: tuple
scale: float
scale1: float
scale2: float
scale3: float
scissor: float [hartree]
scrpath: str
socscf: float
spincore: bool
spinorb: bool
spinpol: bool
spinsprl: bool
sppath: str
ssdph: bool
stype: int
swidth: float [hartree]
tasks: tuple !
tau0atp: float
tau0latv: float
tau0oep: float
taufsm: float
tempk: float [kelvin]
tforce: bool
tefvit: bool
tefvr: bool
tm3fix: tuple
tmwrite: bool
trdbfcr: bool
trdvclr: bool
tsediag: bool
tshift: bool
tstime: float [atomic_unit_of_time]
vhighq: bool
vhmat: tuple
vklem: array
vkloff: array
vqlss: array
wmaxgw: float [hartree]
wplot: tuple
wsfac: array [hartree]
xctype: array
"""

_LINE = re.compile(
    r"(?P<name>[^:]+): (?P<kind>[\w/]+)(?: \[(?P<units>[^\]]+)\])?(?P<mandatory> !)?$"
)


def _parse(text: str) -> tuple[Param, ...]:
    params = []
    for line in text.strip().splitlines():
        match = _LINE.match(line)
        if match is None:  # the text above is part of the program, not input
            raise ValueError(f"bad parameter line: {line!r}")
        default = MANDATORY if match["mandatory"] else None
        params.append(Param(match["name"], match["kind"], match["units"], default))
    return tuple(params)


@functools.cache
def _vasp_kinds() -> dict[str, str]:
    # lazily for start-up: ASE and the extension only when a model uses them
    from ase.calculators.vasp import create_input  # noqa: PLC0415

    kinds = dict(_VASP_OPTIONS)
    for attribute, kind in _ASE_KINDS:
        for key in getattr(create_input, attribute, ()):
            kinds.setdefault(key, kind)
    return kinds


def _vasp() -> Method:
    kinds = _vasp_kinds()
    params = tuple(
        Param(
            name,
            kinds.get(name, "float"),
            "varies" if name in ("ediffg", "potim") else VASP_UNITS.get(name),
            None,
            VASP_CHOICES.get(name),
        )
        for name in VASP_NAMES.split()
    )
    return Method(
        "vasp",
        params,
        (
            "energy",
            "forces",
            "stress",
            "dipole",
            "magmom",
            "magmoms",
            "trajectory",
            "vibrational_energies",
            "energy_minimum",
            "transition_state",
        ),
        tasks=(
            "single point",
            "local minimum",
            "transition state",
            "normal modes",
            "micro-canonical",
            "canonical",
            "isothermal-isobaric",
        ),
    )


def method(name: str) -> Method:
    """The specification of ``vasp``, ``turbomole`` or ``elk``."""
    if name == "vasp":
        return _vasp()
    if name == "turbomole":
        return Method(
            "turbomole",
            _parse(TURBOMOLE),
            (
                "energy",
                "forces",
                "dipole",
                "vibrational_energies",
                "energy_minimum",
                "transition_state",
            ),
            tasks=("single point", "local minimum", "transition state", "normal modes"),
        )
    return Method("elk", _parse(ELK), ("energy", "forces"), tasks=("single point",))
